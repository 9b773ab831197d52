package dev.magpie.cluster.log;

import dev.magpie.engine.live.LiveUpdate;
import dev.magpie.engine.shard.ShardFunction;
import java.util.Objects;

/**
 * A catalog's update topic: one partition per shard, partition p holding the updates of the items
 * on shard p (both item changes and shoppers' events go by their item: an item's statistics live on
 * its shard). The shard function decides the partition, not Kafka's partitioner, so that records
 * and items agree however the topic was created.
 *
 * @param name the topic's name
 * @param partitions the catalog's shard count
 */
public record UpdateTopic(String name, int partitions) {
  /** Checks the name and the count. */
  public UpdateTopic {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("the update topic needs a name");
    }
    ShardFunction.checkCount(partitions);
  }

  /** The partition of {@code update}: its item's shard. */
  public int partitionOf(LiveUpdate update) {
    return ShardFunction.shardOf(update.itemId(), partitions);
  }
}
