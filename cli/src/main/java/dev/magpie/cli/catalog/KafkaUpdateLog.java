package dev.magpie.cli.catalog;

import dev.magpie.cluster.log.PartitionReader;
import dev.magpie.cluster.log.UpdateTopic;
import dev.magpie.engine.live.LiveUpdate;
import dev.magpie.ingest.load.ShardSetFold;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A catalog's update topic on Kafka, read for a fold of its shards: checked once to have a
 * partition per shard, each partition then read to its end; records that do not decode are reported
 * on {@code err} with their partition and offset, and skipped.
 */
final class KafkaUpdateLog implements ShardSetFold.UpdateLog {
  private static final Duration PARTITION_TIMEOUT = Duration.ofMinutes(10);

  private final String bootstrap;
  private final String topicName;
  private final PrintWriter err;
  private UpdateTopic checked;
  private long skipped;

  KafkaUpdateLog(String bootstrap, String topicName, PrintWriter err) {
    this.bootstrap = bootstrap;
    this.topicName = topicName;
    this.err = err;
  }

  @Override
  public long read(int partition, int partitions, long from, Consumer<LiveUpdate> into)
      throws IOException {
    UpdateTopic topic = new UpdateTopic(topicName, partitions);
    if (!topic.equals(checked)) {
      try {
        topic.check(bootstrap);
      } catch (ExecutionException | TimeoutException | IllegalStateException e) {
        throw new IOException("update topic " + topicName + " on " + bootstrap + ": " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while checking the update topic", e);
      }
      checked = topic;
    }
    return new PartitionReader(bootstrap, topic, PARTITION_TIMEOUT)
        .read(
            partition,
            from,
            into,
            bad -> {
              skipped++;
              err.printf(
                  "magpie load: skipped the record at %s partition %d offset %d: %s%n",
                  bad.topic(), bad.partition(), bad.offset(), bad.reason());
            });
  }

  /** Records reported and skipped so far. */
  long skipped() {
    return skipped;
  }
}
