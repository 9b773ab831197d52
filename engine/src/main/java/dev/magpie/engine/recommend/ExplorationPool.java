package dev.magpie.engine.recommend;

import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.behaviour.ShardBehaviour;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.store.Hashing;
import java.util.Arrays;
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;
import org.eclipse.collections.api.list.primitive.MutableIntList;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * The items with little history (fewer than a few distinct shoppers), grouped by category once, so
 * that the exploration channel picks from a shopper's liked categories without scanning the
 * catalog. The catalog's pool is one sequence ordered by category bucket ({@code globalStart[c]} to
 * {@code globalStart[c + 1]}; the last bucket holds items without a category), in catalog order
 * within a bucket; a category's subtree is found through its children. A pick is a pseudo-random
 * position of that sequence per shopper and attempt, so one shopper sees a stable choice and
 * shoppers together cover the pool. This store holds the pool's items that are its own ({@code
 * items}, by bucket from {@code start[c]}, each at {@code globalIndex} within its bucket): all of
 * them on a single node, where the index is the place in the bucket, and a shard's share on a
 * shard, which learns the catalog-wide layout from {@link ShardBehaviour}. Immutable, thread-safe.
 */
final class ExplorationPool {
  /** Positions tried per wanted item before giving up (rejected by filters or already taken). */
  private static final int TRIES_PER_PICK = 8;

  private final int[] items;
  private final int[] start;
  private final long[] globalIndex;
  private final long[] globalStart;
  private final int[] childStart;
  private final int[] children;

  /** Receives each exploration attempt that picks an allowed item. */
  interface AttemptSink {
    /** Attempt {@code attempt} (from 0) picks item {@code item}. */
    void picked(int attempt, int item);
  }

  /**
   * The pool of a single node: items of {@code catalog} with fewer than {@code maxUsers} shoppers
   * in {@code behaviour}.
   */
  ExplorationPool(ItemStore catalog, BehaviourModel behaviour, int maxUsers) {
    this(catalog, i -> behaviour.stats().users(i) < maxUsers ? 0 : -1, null);
  }

  /** A shard's share of the catalog's pool, as {@code shard} lays it out. */
  ExplorationPool(ItemStore catalog, ShardBehaviour shard) {
    this(catalog, shard::poolIndex, shard);
  }

  /**
   * @param poolIndex an item's index in its bucket, catalog-wide, or -1 when not in the pool (on a
   *     single node, any value but -1)
   * @param shard the catalog-wide layout, or null when this store is the catalog
   */
  private ExplorationPool(ItemStore catalog, IntToLongFunction poolIndex, ShardBehaviour shard) {
    int categories = catalog.categoryCount();
    int none = categories;
    int[] counts = new int[categories + 3];
    int n = catalog.snapshotSize();
    for (int i = 0; i < n; i++) {
      if (poolIndex.applyAsLong(i) >= 0) {
        int c = catalog.categoryOrdinal(i);
        counts[(c < 0 ? none : c) + 2]++;
      }
    }
    for (int c = 2; c < counts.length; c++) {
      counts[c] += counts[c - 1];
    }
    items = new int[counts[categories + 2]];
    long[] indices = shard == null ? null : new long[items.length];
    for (int i = 0; i < n; i++) {
      if (poolIndex.applyAsLong(i) >= 0) {
        int c = catalog.categoryOrdinal(i);
        int at = counts[(c < 0 ? none : c) + 1]++;
        items[at] = i;
        if (indices != null) {
          indices[at] = poolIndex.applyAsLong(i);
        }
      }
    }
    start = Arrays.copyOf(counts, categories + 2);
    globalIndex = indices;
    globalStart = new long[categories + 2];
    for (int c = 0; c <= categories; c++) {
      long size = shard == null ? start[c + 1] - start[c] : shard.bucketSize(c);
      globalStart[c + 1] = globalStart[c] + size;
    }
    int[] childCounts = new int[categories + 1];
    for (int c = 0; c < categories; c++) {
      int parent = catalog.categoryParent(c);
      if (parent >= 0) {
        childCounts[parent + 1]++;
      }
    }
    for (int c = 1; c <= categories; c++) {
      childCounts[c] += childCounts[c - 1];
    }
    childStart = childCounts.clone();
    children = new int[childCounts[categories]];
    for (int c = 0; c < categories; c++) {
      int parent = catalog.categoryParent(c);
      if (parent >= 0) {
        children[childCounts[parent]++] = c;
      }
    }
  }

  /** How many of the pool's items this store holds. */
  int size() {
    return items.length;
  }

  /**
   * Up to {@code count} distinct items in the subtrees of {@code categories} (the whole pool when
   * empty) that {@code allowed} accepts, chosen for {@code salt} (the shopper).
   */
  int[] pick(IntHashSet categories, IntPredicate allowed, int count, long salt) {
    IntHashSet chosen = new IntHashSet();
    attempts(
        categories,
        allowed,
        count,
        salt,
        (attempt, item) -> {
          if (chosen.size() < count) {
            chosen.add(item);
          }
        });
    return chosen.toSortedArray();
  }

  /**
   * Every attempt of a pick of {@code count} items ({@link #TRIES_PER_PICK} per item) that lands on
   * an item of this store's that {@code allowed} accepts, in attempt order: over all stores, the
   * first {@code count} distinct items they name are the pick. Each attempt is a pseudo-random
   * position among the catalog's pool items in the subtrees of {@code categories} (the whole pool
   * when empty), from {@code salt} and the attempt.
   */
  void attempts(
      IntHashSet categories, IntPredicate allowed, int count, long salt, AttemptSink sink) {
    MutableIntList buckets = new IntArrayList();
    if (categories.isEmpty()) {
      for (int b = 0; b + 1 < globalStart.length; b++) {
        buckets.add(b);
      }
    } else {
      MutableIntList stack = IntArrayList.newList(categories);
      IntHashSet visited = new IntHashSet();
      while (!stack.isEmpty()) {
        int c = stack.removeAtIndex(stack.size() - 1);
        if (!visited.add(c)) {
          continue;
        }
        buckets.add(c);
        for (int e = childStart[c]; e < childStart[c + 1]; e++) {
          stack.add(children[e]);
        }
      }
    }
    LongArrayList sizes = new LongArrayList(buckets.size());
    long total = 0;
    for (int r = 0; r < buckets.size(); r++) {
      long size = globalStart[buckets.get(r) + 1] - globalStart[buckets.get(r)];
      sizes.add(size);
      total += size;
    }
    for (int attempt = 0; total > 0 && attempt < count * TRIES_PER_PICK; attempt++) {
      long position = Math.floorMod(Hashing.fmix64(salt * 0x9E3779B97F4A7C15L + attempt), total);
      int r = 0;
      while (position >= sizes.get(r)) {
        position -= sizes.get(r);
        r++;
      }
      int item = own(buckets.get(r), position);
      if (item >= 0 && allowed.test(item)) {
        sink.picked(attempt, item);
      }
    }
  }

  /** This store's item at {@code index} of bucket {@code bucket}, or -1 when another holds it. */
  private int own(int bucket, long index) {
    if (globalIndex == null) {
      return items[start[bucket] + (int) index];
    }
    int at = Arrays.binarySearch(globalIndex, start[bucket], start[bucket + 1], index);
    return at < 0 ? -1 : items[at];
  }
}
