package dev.magpie.engine.behaviour;

import org.eclipse.collections.api.block.function.primitive.IntToFloatFunction;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

/**
 * The catalog's items by popularity: the behaviour model's popularity, then rating (as {@link
 * Float#compare} orders it, so an unrated item comes first among equals), then ordinal: a total
 * order, so the ranking is the same whatever the sort. Computed once when a snapshot is written and
 * stored beside the behaviour model ({@link #PATH}, one INT32 column: the item ordinal at each
 * rank), so that opening or reloading a snapshot maps it instead of sorting the catalog again.
 */
public final class PopularityRanking {
  /** The ranking's file in a snapshot: the item ordinal at each rank, most popular first. */
  public static final String PATH = "behaviour/popularity.i32";

  private PopularityRanking() {}

  /**
   * The ordinals 0 to {@code n} - 1, most popular first.
   *
   * @param popularity an item's popularity (higher first)
   * @param rating an item's rating (higher first; NaN above any number, as Float.compare has it)
   */
  public static int[] order(int n, IntToFloatFunction popularity, IntToFloatFunction rating) {
    float[] pop = new float[n];
    float[] rate = new float[n];
    IntArrayList order = new IntArrayList(n);
    for (int i = 0; i < n; i++) {
      pop[i] = popularity.valueOf(i);
      rate[i] = rating.valueOf(i);
      order.add(i);
    }
    order.sortThis(
        (a, b) -> {
          int byPopularity = Float.compare(pop[b], pop[a]);
          if (byPopularity != 0) {
            return byPopularity;
          }
          int byRating = Float.compare(rate[b], rate[a]);
          return byRating != 0 ? byRating : Integer.compare(a, b);
        });
    return order.toArray();
  }
}
