package dev.magpie.engine.recommend;

/**
 * One source of recommendation candidates ({@link Channel}), run on each shard over its own items.
 */
interface CandidateChannel {
  /** Adds this channel's candidates among the shard's items for {@code query}. */
  void collect(ChannelQuery query, LocalCandidates candidates);
}
