package dev.magpie.engine.recommend;

import dev.magpie.engine.InvalidRequestException;
import dev.magpie.engine.search.SearchFilters;
import java.util.List;

/**
 * What to recommend for.
 *
 * @param user the shopper's id, or null for an anonymous shopper
 * @param context item ids the shopper is looking at or has in the cart (may be empty)
 * @param occasion an occasion from the knowledge file ("camping trip"), or null
 * @param k how many items to return, 1 to {@value #MAX_K}
 * @param filters restrictions every item must pass
 * @param diversity how the list is diversified
 * @param explorationShare share of the list (rounded) given to items with little history, 0 to 0.5
 */
public record RecommendRequest(
    String user,
    List<String> context,
    String occasion,
    int k,
    SearchFilters filters,
    Diversity diversity,
    float explorationShare) {
  /** The most items one request may ask for. */
  public static final int MAX_K = 200;

  /** The default exploration share: one item in ten. */
  public static final float DEFAULT_EXPLORATION = 0.1f;

  /** Checks every field, naming the one that is wrong and its value. */
  public RecommendRequest {
    context = List.copyOf(context);
    checkK(k);
    if (!(explorationShare >= 0 && explorationShare <= 0.5f)) {
      throw new InvalidRequestException(
          "explorationShare", "must be from 0 to 0.5, got " + explorationShare);
    }
    if (user != null && user.isBlank()) {
      throw new InvalidRequestException(
          "user", "must not be blank (leave it out for an anonymous shopper)");
    }
    if (filters == null) {
      filters = SearchFilters.NONE;
    }
    if (diversity == null) {
      diversity = Diversity.DEFAULT;
    }
  }

  /** Checks that a request may ask for {@code k} items, naming the value when it may not. */
  static void checkK(int k) {
    if (k < 1 || k > MAX_K) {
      throw new InvalidRequestException("k", "must be from 1 to " + MAX_K + ", got " + k);
    }
  }

  /** {@code k} items for {@code user} with the default diversity and exploration, no filter. */
  public static RecommendRequest forUser(String user, int k) {
    return new RecommendRequest(
        user, List.of(), null, k, SearchFilters.NONE, Diversity.DEFAULT, DEFAULT_EXPLORATION);
  }

  /** {@code k} items for a cart or the items being looked at (shopper unknown). */
  public static RecommendRequest forContext(List<String> context, int k) {
    return new RecommendRequest(
        null, context, null, k, SearchFilters.NONE, Diversity.DEFAULT, DEFAULT_EXPLORATION);
  }
}
