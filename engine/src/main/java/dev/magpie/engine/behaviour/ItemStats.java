package dev.magpie.engine.behaviour;

/**
 * Per-item behaviour statistics, indexed by item ordinal.
 *
 * @param views view events
 * @param favs favourite events
 * @param carts cart events
 * @param buys purchases
 * @param ratings rating events
 * @param users distinct users who did anything with the item
 * @param popularity time-decayed sum of event weights (half-life in the model's parameters, at the
 *     log's latest time)
 * @param conversion smoothed buys per view: (buys + 20 * global rate) / (views + 20)
 */
public record ItemStats(
    int[] views, int[] favs, int[] carts, int[] buys, int[] ratings, int[] users, float[] popularity,
    float[] conversion) {

  /** Number of items. */
  public int size() {
    return views.length;
  }

  /**
   * Each item's popularity percentile among the items, 0 (least) to 1 (most popular): the share of
   * items strictly less popular.
   */
  public float[] popularityPercentiles() {
    int n = popularity.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Float.compare(popularity[a], popularity[b]));
    float[] out = new float[n];
    int below = 0;
    for (int i = 0; i < n; i++) {
      if (i > 0 && popularity[order[i]] > popularity[order[i - 1]]) {
        below = i;
      }
      out[order[i]] = n == 1 ? 1f : below / (float) (n - 1);
    }
    return out;
  }
}
