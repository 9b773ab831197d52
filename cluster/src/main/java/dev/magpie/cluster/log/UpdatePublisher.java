package dev.magpie.cluster.log;

import dev.magpie.engine.live.LiveRecords;
import dev.magpie.engine.live.LiveUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes updates to a catalog's {@link UpdateTopic}: each in its item's partition, keyed by the
 * item's id, through Kafka's idempotent producer with {@code acks=all}, so that an update is
 * acknowledged once every in-sync replica of its partition holds it, and a retried send is written
 * once. Thread-safe, as the producer is; owns the producer.
 */
public final class UpdatePublisher implements AutoCloseable {
  private final UpdateTopic topic;
  private final KafkaProducer<String, byte[]> producer;

  /**
   * A publisher to {@code topic} on the cluster at {@code bootstrap} ("host:port,...").
   *
   * @param clientId names this publisher in the brokers' logs and metrics
   */
  public UpdatePublisher(String bootstrap, UpdateTopic topic, String clientId) {
    this.topic = topic;
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** Where an acknowledged update lies: what a caller waits for to read its own write. */
  public record Acked(int partition, long offset) {}

  /**
   * Publishes {@code updates}, each to its partition in the order given; completes when all are
   * acknowledged (their positions in the order given), or exceptionally with the first failure.
   */
  public CompletableFuture<List<Acked>> publish(List<LiveUpdate> updates) {
    List<CompletableFuture<Acked>> sent = new ArrayList<>(updates.size());
    for (LiveUpdate update : updates) {
      CompletableFuture<Acked> acked = new CompletableFuture<>();
      producer.send(
          new ProducerRecord<>(
              topic.name(),
              topic.partitionOf(update),
              UpdateTopic.keyOf(update),
              LiveRecords.encode(update)),
          (metadata, error) -> {
            if (error != null) {
              acked.completeExceptionally(error);
            } else {
              acked.complete(new Acked(metadata.partition(), metadata.offset()));
            }
          });
      sent.add(acked);
    }
    return CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0]))
        .thenApply(done -> sent.stream().map(CompletableFuture::join).toList());
  }

  /** Sends what waits and closes the producer, waiting up to ten seconds. */
  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
