package dev.magpie.server;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
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

  /** Creates the topic {@code name} with {@code partitions} partitions, one copy each. */
  void createTopic(String name, int partitions) throws Exception {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    try (Admin admin = Admin.create(p)) {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
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
