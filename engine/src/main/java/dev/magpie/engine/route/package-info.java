/**
 * Answers over shards: how each shard's hits merge into the one answer a single node over the whole
 * catalog gives ({@link dev.magpie.engine.route.ShardMerge}). A router holds no catalog; it merges
 * what the shards return.
 */
package dev.magpie.engine.route;
