/**
 * What a cluster of shards runs on besides the engine. {@link dev.magpie.cluster.log}: the update
 * log on Apache Kafka, one topic partition per shard, written by the router and followed by every
 * replica of the shard.
 */
package dev.magpie.cluster;
