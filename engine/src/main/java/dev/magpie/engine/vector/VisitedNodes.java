package dev.magpie.engine.vector;

import java.util.Arrays;

/**
 * The nodes one search has visited: a bit set over every node, cleared after each search by
 * resetting only the words it touched, so a search costs in proportion to what it visits, not to
 * the graph's size. Not thread-safe: one per searching thread.
 */
final class VisitedNodes {
  private final long[] bits;
  private int[] touched = new int[256];
  private int touchedCount;

  VisitedNodes(int nodes) {
    bits = new long[Math.max(1, (nodes + 63) >>> 6)];
  }

  /** Marks {@code node} visited; returns false if it already was. */
  boolean visit(int node) {
    int word = node >>> 6;
    long mask = 1L << node;
    long w = bits[word];
    if ((w & mask) != 0) {
      return false;
    }
    if (w == 0) {
      if (touchedCount == touched.length) {
        touched = Arrays.copyOf(touched, touchedCount * 2);
      }
      touched[touchedCount++] = word;
    }
    bits[word] = w | mask;
    return true;
  }

  /** Whether {@code node} was visited. */
  boolean isVisited(int node) {
    return (bits[node >>> 6] & (1L << node)) != 0;
  }

  /** Forgets every visit. */
  void clear() {
    for (int i = 0; i < touchedCount; i++) {
      bits[touched[i]] = 0;
    }
    touchedCount = 0;
  }
}
