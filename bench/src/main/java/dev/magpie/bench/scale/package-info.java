/**
 * {@code magpie bench scale}: a routed search's tail latency over many shards, from one shard's.
 */
package dev.magpie.bench.scale;
