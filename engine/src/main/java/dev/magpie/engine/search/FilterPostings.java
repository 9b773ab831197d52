package dev.magpie.engine.search;

import dev.magpie.engine.snapshot.ItemStore;
import java.util.Arrays;
import java.util.function.IntConsumer;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.FixedBitSet;

/**
 * The snapshot's item ordinals by brand and by category (the category each item carries),
 * ascending, built once from the columns: the candidates of a brand or category filter without
 * testing every ordinal (a million column reads per filtered vector search at a million items). On
 * the heap, 8 bytes per item. Items added live since the snapshot are not listed: callers test
 * those themselves. Immutable and thread-safe.
 */
final class FilterPostings {
  private final int[][] byBrand;
  private final int[][] byCategory;

  private FilterPostings(int[][] byBrand, int[][] byCategory) {
    this.byBrand = byBrand;
    this.byCategory = byCategory;
  }

  /**
   * Lists the items of {@code items}' snapshot (two passes over its brand and category columns).
   */
  static FilterPostings of(ItemStore items) {
    int n = items.snapshotSize();
    int[] brandCounts = new int[items.brandCount()];
    int[] categoryCounts = new int[items.categoryCount()];
    for (int i = 0; i < n; i++) {
      int b = items.brandOrdinal(i);
      int c = items.categoryOrdinal(i);
      if (b >= 0 && b < brandCounts.length) {
        brandCounts[b]++;
      }
      if (c >= 0 && c < categoryCounts.length) {
        categoryCounts[c]++;
      }
    }
    int[][] byBrand = allocate(brandCounts);
    int[][] byCategory = allocate(categoryCounts);
    Arrays.fill(brandCounts, 0);
    Arrays.fill(categoryCounts, 0);
    for (int i = 0; i < n; i++) {
      int b = items.brandOrdinal(i);
      int c = items.categoryOrdinal(i);
      if (b >= 0 && b < byBrand.length) {
        byBrand[b][brandCounts[b]++] = i;
      }
      if (c >= 0 && c < byCategory.length) {
        byCategory[c][categoryCounts[c]++] = i;
      }
    }
    return new FilterPostings(byBrand, byCategory);
  }

  private static int[][] allocate(int[] counts) {
    int[][] lists = new int[counts.length][];
    for (int i = 0; i < counts.length; i++) {
      lists[i] = new int[counts[i]];
    }
    return lists;
  }

  /** How many listed items have one of the brands set in {@code brands}. */
  long brandItems(FixedBitSet brands) {
    return count(byBrand, brands);
  }

  /** How many listed items are in one of the categories set in {@code categories}. */
  long categoryItems(FixedBitSet categories) {
    return count(byCategory, categories);
  }

  /** Calls {@code each} with every listed item of a brand set in {@code brands}. */
  void forEachOfBrands(FixedBitSet brands, IntConsumer each) {
    forEach(byBrand, brands, each);
  }

  /** Calls {@code each} with every listed item of a category set in {@code categories}. */
  void forEachInCategories(FixedBitSet categories, IntConsumer each) {
    forEach(byCategory, categories, each);
  }

  private static long count(int[][] lists, FixedBitSet set) {
    long n = 0;
    for (int v = next(set, 0);
        v != DocIdSetIterator.NO_MORE_DOCS && v < lists.length;
        v = next(set, v + 1)) {
      n += lists[v].length;
    }
    return n;
  }

  private static void forEach(int[][] lists, FixedBitSet set, IntConsumer each) {
    for (int v = next(set, 0);
        v != DocIdSetIterator.NO_MORE_DOCS && v < lists.length;
        v = next(set, v + 1)) {
      for (int item : lists[v]) {
        each.accept(item);
      }
    }
  }

  private static int next(FixedBitSet set, int from) {
    return from >= set.length() ? DocIdSetIterator.NO_MORE_DOCS : set.nextSetBit(from);
  }
}
