package dev.magpie.engine.recommend;

import dev.magpie.engine.snapshot.ItemStore;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * What every channel of one shard may read of one request, resolved once by {@link RecommendShard}.
 *
 * @param items the shard's items as of the request's epoch
 * @param query the planner's question
 * @param allowed whether one of the shard's items may be recommended (filters passed, not in
 *     context, not seen)
 * @param occasion the categories of the request's occasion, or null
 */
record ChannelQuery(
    ItemStore items, CandidateQuery query, IntPredicate allowed, List<Integer> occasion) {
  /** Whether alternatives to the context item are asked for. */
  boolean similar() {
    return query.similar();
  }
}
