package dev.magpie.learn.recommend;

import dev.magpie.engine.behaviour.Interactions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * Leave-last-out: each user's latest event is hidden, every system learns from the rest and
 * recommends k items per user; a hit is the hidden item among them. Reports HR@k, NDCG@k, catalog
 * coverage (share of all items recommended to anyone), the mean popularity percentile of what is
 * recommended (by users in training), intra-list diversity (mean pairwise 1 - Jaccard of item
 * labels, when labels are known) and recommend latency.
 */
public final class RecommendEvaluation {
  private RecommendEvaluation() {}

  /**
   * One system's figures.
   *
   * @param name the system
   * @param hitRate share of users whose hidden item was recommended
   * @param ndcg mean 1 / log2(rank + 1) of the hidden item (0 when missed)
   * @param coverage share of the catalog's items recommended to someone
   * @param popularityPercentile mean popularity percentile of recommended items (1 = the most
   *     popular)
   * @param diversity mean intra-list diversity, NaN without labels
   * @param users users evaluated
   * @param latencyMicros recommend latency
   */
  public record Result(
      String name,
      double hitRate,
      double ndcg,
      double coverage,
      double popularityPercentile,
      double diversity,
      int users,
      Histogram latencyMicros) {}

  /**
   * Runs every system on the log's leave-last-out split.
   *
   * @param evaluated which users (by id) are asked; every user's events still train the systems
   */
  public static List<Result> run(
      EventLog log,
      List<RecommenderSystem> systems,
      int k,
      int minEvents,
      Predicate<String> evaluated) {
    Interactions.Split all = log.interactions().leaveLastOut(minEvents);
    Interactions.Split split =
        new Interactions.Split(
            all.train(), all.held().stream().filter(h -> evaluated.test(h.user())).toList());
    Interactions train = split.train();
    Map<String, Integer> userIndex = new HashMap<>();
    for (int u = 0; u < train.users(); u++) {
      userIndex.put(train.userId(u), u);
    }
    float[] percentile = popularityPercentiles(train);
    List<Result> results = new ArrayList<>();
    for (RecommenderSystem system : systems) {
      system.train(train);
      for (int i = 0; i < Math.min(200, split.held().size()); i++) {
        system.recommend(userIndex.get(split.held().get(i).user()), k); // warm-up
      }
      Histogram latency = new Histogram(3_600_000_000L, 3);
      IntHashSet recommended = new IntHashSet();
      double hits = 0;
      double ndcg = 0;
      double popularity = 0;
      long recommendedCount = 0;
      double diversity = 0;
      int diverseLists = 0;
      for (Interactions.Held held : split.held()) {
        int u = userIndex.get(held.user());
        long start = System.nanoTime();
        int[] top = system.recommend(u, k);
        latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
        for (int r = 0; r < top.length; r++) {
          recommended.add(top[r]);
          popularity += percentile[top[r]];
          recommendedCount++;
          if (top[r] == held.item()) {
            hits++;
            ndcg += 1 / (Math.log(r + 2) / Math.log(2));
          }
        }
        double d = intraListDiversity(top, log.labels());
        if (!Double.isNaN(d)) {
          diversity += d;
          diverseLists++;
        }
      }
      int users = split.held().size();
      results.add(
          new Result(
              system.name(),
              hits / users,
              ndcg / users,
              recommended.size() / (double) train.itemCount(),
              recommendedCount == 0 ? 0 : popularity / recommendedCount,
              diverseLists == 0 ? Double.NaN : diversity / diverseLists,
              users,
              latency));
    }
    return results;
  }

  /** Each item's share of items with strictly fewer training users. */
  private static float[] popularityPercentiles(Interactions train) {
    int n = train.itemCount();
    int[] users = train.usersPerItem();
    int[] sorted = users.clone();
    Arrays.sort(sorted);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      int below = lowerBound(sorted, users[i]);
      out[i] = n <= 1 ? 1f : below / (float) (n - 1);
    }
    return out;
  }

  private static int lowerBound(int[] sorted, int value) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Mean pairwise 1 - Jaccard of the items' labels, over pairs where both have labels; NaN if none.
   */
  static double intraListDiversity(int[] items, List<List<String>> labels) {
    double sum = 0;
    int pairs = 0;
    for (int a = 0; a < items.length; a++) {
      List<String> x = labels.get(items[a]);
      if (x.isEmpty()) {
        continue;
      }
      for (int b = a + 1; b < items.length; b++) {
        List<String> y = labels.get(items[b]);
        if (y.isEmpty()) {
          continue;
        }
        long common = x.stream().filter(y::contains).count();
        long union = x.size() + y.size() - common;
        sum += 1 - common / (double) union;
        pairs++;
      }
    }
    return pairs == 0 ? Double.NaN : sum / pairs;
  }
}
