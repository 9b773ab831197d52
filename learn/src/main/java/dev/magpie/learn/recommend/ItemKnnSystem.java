package dev.magpie.learn.recommend;

import dev.magpie.engine.behaviour.Interactions;
import org.eclipse.collections.impl.map.mutable.primitive.IntFloatHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * Baseline: classic item-kNN over the binary user-item matrix. cos(i, j) = |users of both| /
 * sqrt(|users of i| |users of j|), each item keeping its {@value #NEIGHBOURS} most similar; a
 * user's score for j is the sum of cos(i, j) over the items i they have. No time, no event types:
 * the textbook method, written independently of Magpie's builder.
 */
public final class ItemKnnSystem implements RecommenderSystem {
  static final int NEIGHBOURS = 100;

  private Interactions log;
  private int[][] neighbours;
  private float[][] similarities;

  @Override
  public String name() {
    return "item-knn";
  }

  @Override
  public void train(Interactions train) {
    log = train;
    int n = train.itemCount();
    int[] users = train.usersPerItem();
    int[][] itemsOf = new int[train.users()][];
    for (int u = 0; u < train.users(); u++) {
      itemsOf[u] = IntHashSet.newSetWith(train.items(u)).toSortedArray();
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
      IntFloatHashMap sims = new IntFloatHashMap();
      int from = i;
      both[i].forEachKeyValue(
          (j, common) ->
              sims.put(j, (float) (common / Math.sqrt((double) users[from] * users[j]))));
      neighbours[i] = Ranking.top(sims, NEIGHBOURS);
      similarities[i] = new float[neighbours[i].length];
      for (int x = 0; x < neighbours[i].length; x++) {
        similarities[i][x] = sims.get(neighbours[i][x]);
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
    IntHashSet has = IntHashSet.newSetWith(log.items(user));
    IntFloatHashMap scores = new IntFloatHashMap();
    has.forEach(
        i -> {
          for (int x = 0; x < neighbours[i].length; x++) {
            if (!has.contains(neighbours[i][x])) {
              scores.addToValue(neighbours[i][x], similarities[i][x]);
            }
          }
        });
    return Ranking.top(scores, k);
  }
}
