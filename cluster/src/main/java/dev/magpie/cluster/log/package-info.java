/**
 * The update log on Apache Kafka: item updates and events, each in the partition of its item's
 * shard ({@link dev.magpie.cluster.log.UpdateTopic}), published with the idempotent producer and
 * acknowledged once every in-sync replica of the partition has it ({@link
 * dev.magpie.cluster.log.UpdatePublisher}); every replica of a shard reads its partition in order
 * from the offset its snapshot was built at ({@link dev.magpie.cluster.log.PartitionFollower}).
 */
package dev.magpie.cluster.log;
