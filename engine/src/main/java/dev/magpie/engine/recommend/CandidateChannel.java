package dev.magpie.engine.recommend;

/**
 * One source of recommendation candidates ({@link Channel}): given what is known of the request, it
 * adds the items it finds, with their evidence, to the request's {@link Candidates}. A channel
 * holds only what it reads (a relation table, an index, a popularity order) and is thread-safe; the
 * {@link Recommender} runs every channel in a fixed order and scores what they found together.
 */
interface CandidateChannel {
  /** Adds this channel's candidates for {@code query} to {@code candidates}. */
  void collect(ChannelQuery query, Candidates candidates);
}
