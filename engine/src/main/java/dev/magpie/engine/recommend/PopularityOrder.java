package dev.magpie.engine.recommend;

import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.behaviour.PopularityRanking;
import dev.magpie.engine.behaviour.ShardBehaviour;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.store.FixedWidthColumn;
import java.util.Arrays;

/**
 * A store's items by catalog-wide popularity ({@link PopularityRanking}: behaviour's popularity,
 * then rating, then catalog position), each item's popularity percentile, and each category's (with
 * its subtree's) most popular items. On a single node the store is the catalog: its ranking is the
 * one the snapshot stored when it was written, mapped (only a snapshot without one is ranked here),
 * and a category's top is its first {@value #PER_CATEGORY} items. On a shard each item carries its
 * catalog-wide rank, and a category's top is the shard's items among the catalog's top {@value
 * #PER_CATEGORY}, which the shard knows by the rank of the last of them: every shard's tops
 * together are the catalog's. Immutable and thread-safe.
 */
final class PopularityOrder {
  /** Popular items kept per category. */
  static final int PER_CATEGORY = 20;

  private final int[] byPopularity;

  /** On a shard: the catalog-wide ranks and cuts, read where they are mapped; null otherwise. */
  private final ShardBehaviour catalogWide;

  private final float[] percentile;
  private final int[][] topOfCategory;

  /**
   * The order of a store's snapshot items.
   *
   * @param byPopularity the store's items, most popular first
   * @param catalogWide on a shard, each item's catalog-wide rank and each category's top as the
   *     rank just past its last item; null when the store is the catalog (rank = index)
   */
  private PopularityOrder(
      ItemStore items, BehaviourModel behaviour, int[] byPopularity, ShardBehaviour catalogWide) {
    this.byPopularity = byPopularity;
    this.catalogWide = catalogWide;
    long catalogItems = catalogWide == null ? items.snapshotSize() : catalogWide.catalogItems();
    int n = items.snapshotSize();
    percentile = new float[n];
    for (int r = 0; r < byPopularity.length; r++) {
      int item = byPopularity[r];
      float popularity = behaviour == null ? 0f : behaviour.stats().popularity(item);
      percentile[item] = popularity == 0 ? 0f : 1f - (float) rankAt(r) / catalogItems;
    }
    topOfCategory = topOfCategory(items);
  }

  /** The order of {@code snapshot}'s items, the snapshot being the whole catalog. */
  static PopularityOrder of(Snapshot snapshot) {
    ItemStore items = snapshot.items();
    return new PopularityOrder(items, snapshot.behaviour(), byPopularity(snapshot), null);
  }

  /**
   * The snapshot's items most popular first: the ranking it stored, or (written without one, or
   * without behaviour) ranked here, by rating then ordinal when it has no behaviour.
   */
  private static int[] byPopularity(Snapshot snapshot) {
    ItemStore items = snapshot.items();
    BehaviourModel behaviour = snapshot.behaviour();
    int n = items.snapshotSize();
    FixedWidthColumn stored = snapshot.popularityRanking();
    if (stored == null) {
      return PopularityRanking.order(
          n, i -> behaviour == null ? 0f : behaviour.stats().popularity(i), items::rating);
    }
    int[] byPopularity = new int[n];
    for (int r = 0; r < n; r++) {
      byPopularity[r] = stored.getInt(r);
    }
    return byPopularity;
  }

  /**
   * The order of a shard's items: its own ranking (the catalog's, restricted to its items), each
   * item's catalog-wide rank and each category's cut from {@code shard}.
   */
  static PopularityOrder of(Snapshot snapshot, ShardBehaviour shard) {
    // Without behaviour the catalog's order is by rating, then position, which ordinals follow.
    return new PopularityOrder(
        snapshot.items(), snapshot.behaviour(), byPopularity(snapshot), shard);
  }

  private int[][] topOfCategory(ItemStore items) {
    int categories = items.categoryCount();
    int[][] top = new int[categories][PER_CATEGORY];
    int[] counts = new int[categories];
    for (int r = 0; r < byPopularity.length; r++) {
      int item = byPopularity[r];
      for (int c = items.categoryOrdinal(item); c >= 0; c = items.categoryParent(c)) {
        boolean inTop =
            catalogWide == null ? counts[c] < PER_CATEGORY : rankAt(r) < catalogWide.categoryCut(c);
        if (inTop && counts[c] < PER_CATEGORY) {
          top[c][counts[c]++] = item;
        }
      }
    }
    for (int c = 0; c < categories; c++) {
      top[c] = Arrays.copyOf(top[c], counts[c]);
    }
    return top;
  }

  /** The store's snapshot items, most popular first (shared: do not change). */
  int[] byPopularity() {
    return byPopularity;
  }

  /** The catalog-wide rank of the store's {@code r}-th most popular item. */
  long rankAt(int r) {
    return catalogWide == null ? r : catalogWide.rank(byPopularity[r]);
  }

  /** Item {@code item}'s popularity percentile, 0 for an item with no events or added live. */
  float percentile(int item) {
    return item < percentile.length ? percentile[item] : 0f;
  }

  /** Category {@code category}'s most popular items, best first (shared: do not change). */
  int[] topOfCategory(int category) {
    return topOfCategory[category];
  }
}
