package dev.magpie.engine.recommend;

import dev.magpie.engine.search.SearchFilters;
import java.util.List;
import org.eclipse.collections.api.map.primitive.IntFloatMap;
import org.eclipse.collections.api.map.primitive.ObjectFloatMap;

/**
 * What one shard is asked in the last recommendation phase: to find its own candidates for the
 * request and compute every feature it can alone ({@link RecommendShard#candidates}). The planner
 * (router or single node) has already resolved the shopper's profile and spread behaviour from the
 * anchors, so the shard gets those results in terms it shares with every other shard.
 *
 * @param similar whether alternatives to the context item are asked for (similar items)
 * @param k items asked for
 * @param exploring exploration slots
 * @param salt what the exploration pick is seeded with (the shopper)
 * @param filters the request's filters
 * @param excluded this shard's items not to recommend (the context, the shopper's history)
 * @param targets this shard's items that behaviour spread reached (the planner holds the evidence)
 * @param queryVector the blended context and profile vector, or null
 * @param likedCategories categories to start from, as {category, strength * 1000}
 * @param occasion the occasion as the caller named it, or null
 * @param contextCategories each context item's category (-1 for none), in request order
 * @param contextTitles each context item's title, in request order
 * @param categoryAffinity the shopper's category affinities
 * @param brandAffinity the shopper's brand affinities, by brand name
 * @param typicalPriceMinor the shopper's typical price, or -1
 */
public record CandidateQuery(
    boolean similar,
    int k,
    int exploring,
    long salt,
    SearchFilters filters,
    int[] excluded,
    int[] targets,
    float[] queryVector,
    List<int[]> likedCategories,
    String occasion,
    int[] contextCategories,
    List<String> contextTitles,
    IntFloatMap categoryAffinity,
    ObjectFloatMap<String> brandAffinity,
    long typicalPriceMinor) {
  /** Copies the lists. */
  public CandidateQuery {
    likedCategories = List.copyOf(likedCategories);
    contextTitles = List.copyOf(contextTitles);
    if (contextCategories.length != contextTitles.size()) {
      throw new IllegalArgumentException(
          "context: "
              + contextCategories.length
              + " categories, "
              + contextTitles.size()
              + " titles");
    }
  }
}
