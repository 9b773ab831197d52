package dev.magpie.server;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A real Kafka broker in this process (KRaft, one combined node, on loopback), for one test. */
final class TestBroker implements AutoCloseable {
  private final KafkaClusterTestKit kafka;

  private TestBroker(KafkaClusterTestKit kafka) {
    this.kafka = kafka;
  }

  /** Formats, starts and waits for a broker. */
  static TestBroker start() throws Exception {
    KafkaClusterTestKit kafka =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumControllerNodes(1)
                    .setNumBrokerNodes(1)
                    .build())
            .build();
    try {
      kafka.format();
      kafka.startup();
      kafka.waitForReadyBrokers();
      return new TestBroker(kafka);
    } catch (Exception e) {
      kafka.close();
      throw e;
    }
  }

  /** "host:port" of the broker. */
  String bootstrap() {
    return kafka.bootstrapServers();
  }

  @Override
  public void close() {
    try {
      kafka.close();
    } catch (Exception e) {
      throw new IllegalStateException("stopping the test broker", e);
    }
  }
}
