package dev.magpie.engine.vector;

import java.util.Arrays;

/**
 * A min-heap of (score, node) pairs packed into longs, score in the high 32 bits and node in the
 * low: comparing the longs compares scores first, then nodes, so order and ties are deterministic.
 * As the result set of a beam search it keeps the best {@code capacity} pairs and drops its worst
 * (the root); with {@link #negated} scores it serves as the max-queue of candidates to expand.
 * Growable, reusable after {@link #clear()}, no allocation in steady state. Not thread-safe.
 */
final class ScoredNodes {
  private long[] heap;
  private int size;

  ScoredNodes(int initialCapacity) {
    heap = new long[Math.max(2, initialCapacity + 1)];
  }

  static long pack(int score, int node) {
    return ((long) score << 32) | (node & 0xFFFF_FFFFL);
  }

  static int score(long packed) {
    return (int) (packed >> 32);
  }

  static int node(long packed) {
    return (int) packed;
  }

  /** Sorts the first {@code n} packed entries of {@code packed} best (largest) first. */
  static void sortBestFirst(long[] packed, int n) {
    Arrays.sort(packed, 0, n);
    for (int i = 0, j = n - 1; i < j; i++, j--) {
      long t = packed[i];
      packed[i] = packed[j];
      packed[j] = t;
    }
  }

  /** The packing for a max-queue: the best score becomes the smallest long. */
  static long negated(int score, int node) {
    return pack(-score, node);
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  void clear() {
    size = 0;
  }

  /** The smallest element; the heap must not be empty. */
  long top() {
    return heap[1];
  }

  void push(long value) {
    if (++size == heap.length) {
      heap = Arrays.copyOf(heap, heap.length * 2);
    }
    int i = size;
    while (i > 1) {
      int parent = i >>> 1;
      long p = heap[parent];
      if (p <= value) {
        break;
      }
      heap[i] = p;
      i = parent;
    }
    heap[i] = value;
  }

  /** Pushes {@code value}, then drops the smallest while more than {@code capacity} are held. */
  void pushBounded(long value, int capacity) {
    push(value);
    while (size > capacity) {
      pop();
    }
  }

  /** Empties the heap into {@code out}, largest (best) first; returns how many. */
  int drainBestFirst(long[] out) {
    int n = size;
    for (int i = n - 1; i >= 0; i--) {
      out[i] = pop();
    }
    return n;
  }

  /** Empties the heap into a new array, largest (best) first. */
  long[] drainBestFirst() {
    long[] out = new long[size];
    drainBestFirst(out);
    return out;
  }

  /** Removes and returns the smallest element; the heap must not be empty. */
  long pop() {
    long result = heap[1];
    long last = heap[size--];
    int i = 1;
    int half = size >>> 1;
    while (i <= half) {
      int child = i << 1;
      long c = heap[child];
      if (child < size && heap[child + 1] < c) {
        child++;
        c = heap[child];
      }
      if (last <= c) {
        break;
      }
      heap[i] = c;
      i = child;
    }
    heap[i] = last;
    return result;
  }
}
