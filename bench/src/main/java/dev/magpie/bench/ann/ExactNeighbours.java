package dev.magpie.bench.ann;

import dev.magpie.engine.vector.FloatDotProduct;
import dev.magpie.engine.vector.Int8DotProduct;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.apache.lucene.util.NumericUtils;

/**
 * Exact nearest neighbours by inner product, by scoring every row (SIMD dot products over the
 * mapped floats): the truth ANN recall is measured against, and the brute-force baseline's speed.
 */
final class ExactNeighbours {
  /** Queries scored together in one pass over the rows, so each row is read from memory once. */
  private static final int BLOCK = 16;

  private ExactNeighbours() {}

  /**
   * The {@code k} rows of {@code data} with the largest dot product with each query, best first.
   */
  static int[][] find(VectorFile data, float[][] queries, int k, int threads)
      throws InterruptedException {
    MemorySegment rows = Int8DotProduct.plain(data.rows());
    int[][] result = new int[queries.length][];
    int blocks = (queries.length + BLOCK - 1) / BLOCK;
    Thread[] workers = new Thread[Math.max(1, threads)];
    for (int t = 0; t < workers.length; t++) {
      int first = t;
      workers[t] =
          Thread.ofPlatform()
              .name("magpie-exact-" + t)
              .start(
                  () -> {
                    for (int b = first; b < blocks; b += workers.length) {
                      int from = b * BLOCK;
                      int to = Math.min(queries.length, from + BLOCK);
                      TopK[] tops = new TopK[to - from];
                      for (int i = 0; i < tops.length; i++) {
                        tops[i] = new TopK(k);
                      }
                      for (int row = 0; row < data.count(); row++) {
                        long offset = 4L * data.dim() * row;
                        for (int i = 0; i < tops.length; i++) {
                          tops[i].offer(row, FloatDotProduct.dot(rows, offset, queries[from + i]));
                        }
                      }
                      for (int i = 0; i < tops.length; i++) {
                        result[from + i] = tops[i].bestFirst();
                      }
                    }
                  });
    }
    for (Thread worker : workers) {
      worker.join();
    }
    return result;
  }

  /**
   * Single-thread queries per second of answering one query at a time by a full scan, over the
   * first queries until {@code seconds} have passed (at least one).
   */
  static double queriesPerSecond(VectorFile data, float[][] queries, int k, double seconds) {
    MemorySegment rows = Int8DotProduct.plain(data.rows());
    long start = System.nanoTime();
    long budget = (long) (seconds * 1e9);
    int done = 0;
    while (done < queries.length && (done == 0 || System.nanoTime() - start < budget)) {
      TopK top = new TopK(k);
      for (int row = 0; row < data.count(); row++) {
        top.offer(row, FloatDotProduct.dot(rows, 4L * data.dim() * row, queries[done]));
      }
      top.bestFirst();
      done++;
    }
    return done / ((System.nanoTime() - start) / 1e9);
  }

  /** The k best (score, row) pairs so far; ties go to the lower row. */
  static final class TopK {
    private final long[] keys;

    TopK(int k) {
      keys = new long[k];
      Arrays.fill(keys, Long.MIN_VALUE);
    }

    void offer(int row, float score) {
      long key = ((long) NumericUtils.floatToSortableInt(score) << 32) | (0xFFFFFFFFL & ~row);
      if (key > keys[0]) {
        int i = 1;
        while (i < keys.length && keys[i] < key) {
          keys[i - 1] = keys[i];
          i++;
        }
        keys[i - 1] = key;
      }
    }

    int[] bestFirst() {
      int n = 0;
      for (long key : keys) {
        if (key != Long.MIN_VALUE) {
          n++;
        }
      }
      int[] rows = new int[n];
      for (int i = 0; i < n; i++) {
        rows[i] = ~(int) keys[keys.length - 1 - i];
      }
      return rows;
    }
  }
}
