package dev.magpie.engine.recommend;

import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.snapshot.ItemStore;
import java.util.Arrays;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

/**
 * The snapshot's items by popularity (behaviour's popularity, then rating, then ordinal), each
 * item's popularity percentile, and each category's (with its subtree's) most popular items. Built
 * once per snapshot with a primitive sort; immutable and thread-safe after.
 */
final class PopularityOrder {
  /** Popular items kept per category. */
  static final int PER_CATEGORY = 20;

  private final int[] byPopularity;
  private final float[] percentile;
  private final int[][] topOfCategory;

  /** The order of {@code items}' snapshot items under {@code behaviour} (null: rating alone). */
  PopularityOrder(ItemStore items, BehaviourModel behaviour) {
    int n = items.snapshotSize();
    float[] popularity = new float[n];
    float[] rating = new float[n];
    for (int i = 0; i < n; i++) {
      popularity[i] = behaviour == null ? 0f : behaviour.stats().popularity(i);
      rating[i] = items.rating(i);
    }
    IntArrayList order = IntArrayList.newWithNValues(n, 0);
    for (int i = 0; i < n; i++) {
      order.set(i, i);
    }
    order.sortThis(
        (a, b) ->
            popularity[a] != popularity[b]
                ? Float.compare(popularity[b], popularity[a])
                : rating[a] != rating[b]
                    ? Float.compare(rating[b], rating[a])
                    : Integer.compare(a, b));
    byPopularity = order.toArray();
    percentile = new float[n];
    for (int r = 0; r < n; r++) {
      int item = byPopularity[r];
      percentile[item] = popularity[item] == 0 ? 0f : 1f - (float) r / n;
    }
    topOfCategory = topOfCategory(items, byPopularity);
  }

  private static int[][] topOfCategory(ItemStore items, int[] byPopularity) {
    int categories = items.categoryCount();
    int[][] top = new int[categories][PER_CATEGORY];
    int[] counts = new int[categories];
    for (int item : byPopularity) {
      for (int c = items.categoryOrdinal(item); c >= 0; c = items.categoryParent(c)) {
        if (counts[c] < PER_CATEGORY) {
          top[c][counts[c]++] = item;
        }
      }
    }
    for (int c = 0; c < categories; c++) {
      top[c] = Arrays.copyOf(top[c], counts[c]);
    }
    return top;
  }

  /** The snapshot's items, most popular first (shared: do not change). */
  int[] byPopularity() {
    return byPopularity;
  }

  /** Each item's popularity percentile by ordinal, 0 for an item with no events (shared). */
  float[] percentiles() {
    return percentile;
  }

  /** Category {@code category}'s most popular items, best first (shared: do not change). */
  int[] topOfCategory(int category) {
    return topOfCategory[category];
  }
}
