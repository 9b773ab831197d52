package dev.magpie.bench.recommend;

import dev.magpie.engine.behaviour.Interactions;
import java.util.Arrays;
import org.eclipse.collections.impl.map.mutable.primitive.IntFloatHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * Baseline: classic item-kNN over the binary user-item matrix. cos(i, j) = |users of both| /
 * sqrt(|users of i| |users of j|), each item keeping its {@value #NEIGHBOURS} most similar; a user's
 * score for j is the sum of cos(i, j) over the items i they have. No time, no event types: the
 * textbook method, written independently of Magpie's builder.
 */
final class ItemKnnSystem implements RecommenderSystem {
  static final int NEIGHBOURS = 100;

  private Interactions log;
  private int[][] neighbours;
  private float[][] similarities;

  @Override
  public String name() {
    return "item-knn-cosine";
  }

  @Override
  public void train(Interactions train) {
    log = train;
    int n = train.itemCount();
    int[][] itemsOf = new int[train.users()][];
    int[] users = new int[n];
    for (int u = 0; u < train.users(); u++) {
      IntHashSet set = new IntHashSet();
      for (int e = train.start(u); e < train.end(u); e++) {
        set.add(train.item(e));
      }
      itemsOf[u] = set.toSortedArray();
      for (int i : itemsOf[u]) {
        users[i]++;
      }
    }
    IntIntHashMap[] both = new IntIntHashMap[n];
    for (int[] items : itemsOf) {
      for (int a = 0; a < items.length; a++) {
        for (int b = a + 1; b < items.length; b++) {
          row(both, items[a]).addToValue(items[b], 1);
          row(both, items[b]).addToValue(items[a], 1);
        }
      }
    }
    neighbours = new int[n][];
    similarities = new float[n][];
    for (int i = 0; i < n; i++) {
      if (both[i] == null) {
        neighbours[i] = new int[0];
        similarities[i] = new float[0];
        continue;
      }
      int[] js = both[i].keySet().toArray();
      float[] sims = new float[js.length];
      for (int x = 0; x < js.length; x++) {
        sims[x] = (float) (both[i].get(js[x]) / Math.sqrt((double) users[i] * users[js[x]]));
      }
      Integer[] order = new Integer[js.length];
      for (int x = 0; x < order.length; x++) {
        order[x] = x;
      }
      Arrays.sort(order, (p, q) -> sims[p] != sims[q] ? Float.compare(sims[q], sims[p]) : Integer.compare(js[p], js[q]));
      int kept = Math.min(NEIGHBOURS, js.length);
      neighbours[i] = new int[kept];
      similarities[i] = new float[kept];
      for (int x = 0; x < kept; x++) {
        neighbours[i][x] = js[order[x]];
        similarities[i][x] = sims[order[x]];
      }
    }
  }

  private static IntIntHashMap row(IntIntHashMap[] rows, int i) {
    if (rows[i] == null) {
      rows[i] = new IntIntHashMap();
    }
    return rows[i];
  }

  @Override
  public int[] recommend(int user, int k) {
    IntHashSet has = new IntHashSet();
    for (int e = log.start(user); e < log.end(user); e++) {
      has.add(log.item(e));
    }
    IntFloatHashMap scores = new IntFloatHashMap();
    has.forEach(i -> {
      for (int x = 0; x < neighbours[i].length; x++) {
        if (!has.contains(neighbours[i][x])) {
          scores.addToValue(neighbours[i][x], similarities[i][x]);
        }
      }
    });
    return Ranking.top(scores, k);
  }
}
