package dev.magpie.cluster.log;

import dev.magpie.engine.live.LiveUpdate;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads one partition of a catalog's update topic once, from an offset to the partition's end as it
 * stands when reading begins, in order: what a fold of the served shards and their updates into a
 * new load reads ({@code magpie load --base CLUSTER_DIR --updates-kafka}). A record that does not
 * decode is reported and skipped, as a replica skips it. A start the topic no longer holds (its
 * retention deleted the records) is an error, never skipped over: the updates there would be lost.
 */
public final class PartitionReader {
  private static final Duration POLL = Duration.ofMillis(200);

  private final String bootstrap;
  private final UpdateTopic topic;
  private final Duration timeout;

  /**
   * Reads {@code topic} on the Kafka cluster at {@code bootstrap}.
   *
   * @param timeout the most one partition's read may take
   */
  public PartitionReader(String bootstrap, UpdateTopic topic, Duration timeout) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.timeout = timeout;
  }

  /**
   * Reads {@code partition} from {@code from} to its end now, handing each update to {@code into}
   * and each record that does not decode to {@code bad}.
   *
   * @return the offset after the last record read: the partition's end when reading began
   * @throws IOException when the topic no longer holds {@code from}, or ends before it, or the
   *     partition cannot be read to its end within the timeout
   */
  public long read(
      int partition, long from, Consumer<LiveUpdate> into, PartitionFollower.BadRecords bad)
      throws IOException {
    TopicPartition tp = new TopicPartition(topic.name(), partition);
    try (KafkaConsumer<String, byte[]> consumer =
        PartitionConsumers.assigned(bootstrap, topic, partition, 5_000)) {
      long start = consumer.beginningOffsets(List.of(tp), timeout).getOrDefault(tp, 0L);
      long end = consumer.endOffsets(List.of(tp), timeout).getOrDefault(tp, 0L);
      if (from > end) {
        throw new IOException(
            where(partition)
                + " ends at offset "
                + end
                + ", before "
                + from
                + " where the shard was built: not this catalog's topic (recreated?)");
      }
      if (from < start) {
        throw new IOException(
            where(partition)
                + " now begins at offset "
                + start
                + ": the updates from "
                + from
                + " (where the shard was built) to "
                + start
                + " were deleted by retention; load the catalog afresh");
      }
      consumer.seek(tp, from);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (consumer.position(tp, timeout) < end) {
        if (System.nanoTime() > deadline) {
          throw new IOException(
              where(partition)
                  + ": read to offset "
                  + consumer.position(tp)
                  + " of "
                  + end
                  + " in "
                  + timeout.toSeconds()
                  + " s");
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL).records(tp)) {
          if (r.offset() >= end) {
            break; // published after reading began: left for the replicas to replay
          }
          LiveUpdate update = PartitionConsumers.decode(r, bad);
          if (update != null) {
            into.accept(update);
          }
        }
      }
      return end;
    } catch (KafkaException e) {
      throw new IOException(where(partition) + ": " + e.getMessage(), e);
    }
  }

  private String where(int partition) {
    return "update topic " + topic.name() + " partition " + partition;
  }
}
