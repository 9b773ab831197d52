package dev.magpie.cluster.log;

import dev.magpie.engine.live.LiveUpdate;
import dev.magpie.engine.shard.ShardFunction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * A catalog's update topic: one partition per shard. Partition p holds the changes of the items on
 * shard p, and the events of the shoppers whose home is shard p ({@code hash(user) mod S}, where
 * their history lives; an item's statistics learn of events at the next load). The shard function
 * decides the partition, not Kafka's partitioner, so that records and shards agree however the
 * topic was created.
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

  /**
   * Creates the topic on the cluster at {@code bootstrap} with one partition per shard unless it
   * exists, and returns each partition's end offset: where the updates published after this moment
   * begin, which a load records in each shard it builds (replicas of that shard replay from there).
   *
   * @param replication copies of each partition (at most the brokers there are)
   * @throws IllegalStateException when the topic exists with another partition count
   */
  public Map<Integer, Long> prepare(String bootstrap, short replication)
      throws InterruptedException, ExecutionException, TimeoutException {
    return endOffsets(bootstrap, replication);
  }

  /**
   * Checks that the topic exists on the cluster at {@code bootstrap} with one partition per shard,
   * creating nothing (a router, which publishes to the topic its catalog's load created), and
   * returns each partition's end offset.
   *
   * @throws IllegalStateException when the topic is missing or has another partition count
   */
  public Map<Integer, Long> check(String bootstrap)
      throws InterruptedException, ExecutionException, TimeoutException {
    return endOffsets(bootstrap, (short) 0);
  }

  /** The end offsets, the topic created first when {@code replication} is above 0. */
  private Map<Integer, Long> endOffsets(String bootstrap, short replication)
      throws InterruptedException, ExecutionException, TimeoutException {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      if (!names.contains(name)) {
        if (replication <= 0) {
          throw new IllegalStateException(
              "no topic "
                  + name
                  + " on "
                  + bootstrap
                  + ": a sharded load with --updates-kafka creates it");
        }
        admin
            .createTopics(List.of(new NewTopic(name, partitions, replication)))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      TopicDescription described =
          admin.describeTopics(List.of(name)).allTopicNames().get(30, TimeUnit.SECONDS).get(name);
      if (described.partitions().size() != partitions) {
        throw new IllegalStateException(
            "topic "
                + name
                + " has "
                + described.partitions().size()
                + " partitions, the catalog "
                + partitions
                + " shards: one partition per shard");
      }
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int i = 0; i < partitions; i++) {
        latest.put(new TopicPartition(name, i), OffsetSpec.latest());
      }
      Map<Integer, Long> ends = new TreeMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
      return ends;
    }
  }

  /** The partition of {@code update}: its shopper's home shard for an event, else its item's. */
  public int partitionOf(LiveUpdate update) {
    return ShardFunction.shardOf(keyOf(update), partitions);
  }

  /** The record key of {@code update}: its shopper for an event, else its item. */
  public static String keyOf(LiveUpdate update) {
    return update instanceof LiveUpdate.Event e ? e.user() : update.itemId();
  }
}
