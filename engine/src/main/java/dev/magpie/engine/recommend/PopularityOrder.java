package dev.magpie.engine.recommend;

import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.behaviour.PopularityRanking;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.store.FixedWidthColumn;
import java.util.Arrays;

/**
 * The snapshot's items by popularity ({@link PopularityRanking}: behaviour's popularity, then
 * rating, then ordinal), each item's popularity percentile, and each category's (with its
 * subtree's) most popular items. The ranking is the one the snapshot stored when it was written,
 * mapped; only a snapshot without one (written before rankings were stored) is ranked here. The
 * percentiles and per-category lists take one pass over the ranking. Immutable and thread-safe.
 */
final class PopularityOrder {
  /** Popular items kept per category. */
  static final int PER_CATEGORY = 20;

  private final int[] byPopularity;
  private final float[] percentile;
  private final int[][] topOfCategory;

  /** The order of {@code snapshot}'s items. */
  PopularityOrder(Snapshot snapshot) {
    ItemStore items = snapshot.items();
    BehaviourModel behaviour = snapshot.behaviour();
    int n = items.snapshotSize();
    FixedWidthColumn stored = snapshot.popularityRanking();
    if (stored != null) {
      byPopularity = new int[n];
      for (int r = 0; r < n; r++) {
        byPopularity[r] = stored.getInt(r);
      }
    } else {
      byPopularity =
          PopularityRanking.order(
              n, i -> behaviour == null ? 0f : behaviour.stats().popularity(i), items::rating);
    }
    percentile = new float[n];
    for (int r = 0; r < n; r++) {
      int item = byPopularity[r];
      float popularity = behaviour == null ? 0f : behaviour.stats().popularity(item);
      percentile[item] = popularity == 0 ? 0f : 1f - (float) r / n;
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
