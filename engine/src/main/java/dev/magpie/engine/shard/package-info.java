/**
 * Sharding: which shard holds an item ({@link dev.magpie.engine.shard.ShardFunction}) and what a
 * snapshot records of the shard it is ({@link dev.magpie.engine.shard.Shard}). How shards' answers
 * merge is {@link dev.magpie.engine.route}'s.
 */
package dev.magpie.engine.shard;
