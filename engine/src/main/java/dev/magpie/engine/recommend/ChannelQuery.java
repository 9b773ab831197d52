package dev.magpie.engine.recommend;

import dev.magpie.engine.snapshot.ItemStore;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * What every channel may read of one request, resolved once by the {@link Recommender}.
 *
 * @param items the items as of the request's epoch
 * @param similar whether alternatives to the context item are asked for (similar items), not
 *     complements of it
 * @param context the context items (cart, viewed item), item ordinals
 * @param anchors the items behaviour spreads from: the context items, then the shopper's recent
 *     ones
 * @param anchorWeights each anchor's weight (1 for context items, recency-scaled for history)
 * @param profile the shopper's profile (empty for an anonymous one)
 * @param queryVector the context's and profile's blended unit vector, or null when neither has one
 * @param likedCategories categories to start from, as {category, strength * 1000}
 * @param occasion the categories of the request's occasion, or null
 * @param occasionName the occasion as the caller named it, or null
 * @param k items asked for
 * @param allowed whether an item may be recommended (filters passed, not in context, not seen)
 * @param exploring how many exploration slots the request has
 */
record ChannelQuery(
    ItemStore items,
    boolean similar,
    int[] context,
    int[] anchors,
    float[] anchorWeights,
    UserProfile profile,
    float[] queryVector,
    List<int[]> likedCategories,
    List<Integer> occasion,
    String occasionName,
    int k,
    IntPredicate allowed,
    int exploring) {
  /** Whether anchor {@code a} is a context item rather than one of the shopper's. */
  boolean anchorInContext(int a) {
    return a < context.length;
  }
}
