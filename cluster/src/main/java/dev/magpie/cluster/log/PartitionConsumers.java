package dev.magpie.cluster.log;

import dev.magpie.engine.live.LiveRecords;
import dev.magpie.engine.live.LiveUpdate;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a replica's follower ({@link PartitionFollower}) and a fold's reader ({@link
 * PartitionReader}) share: a consumer assigned one partition of the update topic (no group, no
 * committed offsets, never skipping ahead on its own), and the reading of a record, reported and
 * skipped when it does not decode.
 */
final class PartitionConsumers {
  private PartitionConsumers() {}

  /**
   * A consumer of partition {@code partition} of {@code topic} on the cluster at {@code bootstrap},
   * assigned and not yet positioned, returning at most {@code maxPollRecords} a poll.
   *
   * @throws IllegalArgumentException when the topic has no such partition
   */
  static KafkaConsumer<String, byte[]> assigned(
      String bootstrap, UpdateTopic topic, int partition, int maxPollRecords) {
    if (partition < 0 || partition >= topic.partitions()) {
      throw new IllegalArgumentException(
          "partition " + partition + " of a topic of " + topic.partitions());
    }
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Never skip ahead silently: a start the topic no longer holds is an error.
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.assign(List.of(new TopicPartition(topic.name(), partition)));
    return consumer;
  }

  /** The update {@code record} holds, or null, reported to {@code bad}, when it does not decode. */
  static LiveUpdate decode(
      ConsumerRecord<String, byte[]> record, PartitionFollower.BadRecords bad) {
    try {
      return LiveRecords.decode(record.value());
    } catch (IllegalArgumentException e) {
      bad.report(
          new PartitionFollower.BadRecord(
              record.topic(), record.partition(), record.offset(), e.getMessage()));
      return null;
    }
  }
}
