package dev.magpie.engine.recommend;

import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.store.Hashing;
import java.util.Arrays;
import java.util.function.IntPredicate;
import org.eclipse.collections.api.list.primitive.MutableIntList;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * The items with little history (fewer than a few distinct shoppers), grouped by category once, so
 * that the exploration channel picks from a shopper's liked categories without scanning the
 * catalog. Items sit in one array ordered by category ({@code start[c]} to {@code start[c + 1]};
 * the last bucket holds items without a category); a category's subtree is found through its
 * children. A pick is a pseudo-random position per shopper and attempt, so one shopper sees a
 * stable choice and shoppers together cover the pool. Immutable, thread-safe.
 */
final class ExplorationPool {
  /** Positions tried per wanted item before giving up (rejected by filters or already taken). */
  private static final int TRIES_PER_PICK = 8;

  private final int[] items;
  private final int[] start;
  private final int[] childStart;
  private final int[] children;

  /** Items of {@code catalog} with fewer than {@code maxUsers} shoppers in {@code behaviour}. */
  ExplorationPool(ItemStore catalog, BehaviourModel behaviour, int maxUsers) {
    int categories = catalog.categoryCount();
    int none = categories;
    int[] counts = new int[categories + 3];
    int n = catalog.snapshotSize();
    for (int i = 0; i < n; i++) {
      if (behaviour.stats().users(i) < maxUsers) {
        int c = catalog.categoryOrdinal(i);
        counts[(c < 0 ? none : c) + 2]++;
      }
    }
    for (int c = 2; c < counts.length; c++) {
      counts[c] += counts[c - 1];
    }
    items = new int[counts[categories + 2]];
    for (int i = 0; i < n; i++) {
      if (behaviour.stats().users(i) < maxUsers) {
        int c = catalog.categoryOrdinal(i);
        items[counts[(c < 0 ? none : c) + 1]++] = i;
      }
    }
    start = Arrays.copyOf(counts, categories + 2);
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

  /** How many items the pool holds. */
  int size() {
    return items.length;
  }

  /** Receives each exploration attempt that picks an allowed item. */
  interface AttemptSink {
    /** Attempt {@code attempt} (from 0) picks item {@code item}. */
    void picked(int attempt, int item);
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
   * an item {@code allowed} accepts, in attempt order: the first {@code count} distinct items they
   * name are the pick. Each attempt is a pseudo-random position among the pool's items in the
   * subtrees of {@code categories} (the whole pool when empty), from {@code salt} and the attempt.
   */
  void attempts(
      IntHashSet categories, IntPredicate allowed, int count, long salt, AttemptSink sink) {
    MutableIntList from = new IntArrayList();
    MutableIntList to = new IntArrayList();
    if (categories.isEmpty()) {
      from.add(0);
      to.add(items.length);
    } else {
      MutableIntList stack = IntArrayList.newList(categories);
      IntHashSet visited = new IntHashSet();
      while (!stack.isEmpty()) {
        int c = stack.removeAtIndex(stack.size() - 1);
        if (!visited.add(c)) {
          continue;
        }
        if (start[c + 1] > start[c]) {
          from.add(start[c]);
          to.add(start[c + 1]);
        }
        for (int e = childStart[c]; e < childStart[c + 1]; e++) {
          stack.add(children[e]);
        }
      }
    }
    long total = 0;
    for (int r = 0; r < from.size(); r++) {
      total += to.get(r) - from.get(r);
    }
    for (int attempt = 0; total > 0 && attempt < count * TRIES_PER_PICK; attempt++) {
      long position = Math.floorMod(Hashing.fmix64(salt * 0x9E3779B97F4A7C15L + attempt), total);
      int r = 0;
      while (position >= to.get(r) - from.get(r)) {
        position -= to.get(r) - from.get(r);
        r++;
      }
      int item = items[from.get(r) + (int) position];
      if (allowed.test(item)) {
        sink.picked(attempt, item);
      }
    }
  }
}
