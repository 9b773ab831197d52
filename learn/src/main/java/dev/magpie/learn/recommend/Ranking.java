package dev.magpie.learn.recommend;

import java.util.Arrays;
import org.eclipse.collections.impl.map.mutable.primitive.IntFloatHashMap;

/** Top-k selection from a score map, ties broken by the lower ordinal. */
final class Ranking {
  private Ranking() {}

  static int[] top(IntFloatHashMap scores, int k) {
    int[] items = scores.keySet().toArray();
    Integer[] order = new Integer[items.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          float x = scores.get(items[a]);
          float y = scores.get(items[b]);
          return x != y ? Float.compare(y, x) : Integer.compare(items[a], items[b]);
        });
    int[] out = new int[Math.min(k, items.length)];
    for (int i = 0; i < out.length; i++) {
      out[i] = items[order[i]];
    }
    return out;
  }
}
