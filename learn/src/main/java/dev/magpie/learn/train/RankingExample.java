package dev.magpie.learn.train;

import dev.magpie.engine.rank.RankingModel;
import dev.magpie.learn.RankingMetrics;
import java.util.Arrays;
import java.util.List;

/**
 * One judged query's candidates for training a ranking model.
 *
 * @param features each candidate's feature vector (indexed by Feature ordinal)
 * @param gains each candidate's judged gain (0 when not judged relevant)
 * @param idealDcg DCG@k of the best ordering of every judged gain of the query (relevant items the
 *     candidates missed count against every model alike), computed once
 */
public record RankingExample(float[][] features, double[] gains, double idealDcg) {
  /** Mean nDCG@k of {@code model}'s order over {@code examples} (0 when there are none). */
  public static double meanNdcg(List<RankingExample> examples, RankingModel model, int k) {
    double sum = 0;
    for (RankingExample e : examples) {
      double[] scores = new double[e.features().length];
      for (int i = 0; i < scores.length; i++) {
        scores[i] = model.score(e.features()[i]);
      }
      sum += e.ndcg(scores, 0, k);
    }
    return examples.isEmpty() ? 0 : sum / examples.size();
  }

  /**
   * nDCG@k of the order that {@code scores[from + i]} (candidate i's score) gives the candidates,
   * best first, ties in candidate order.
   */
  public double ndcg(double[] scores, int from, int k) {
    int n = features.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) ->
            scores[from + a] != scores[from + b]
                ? Double.compare(scores[from + b], scores[from + a])
                : Integer.compare(a, b));
    double[] ranked = new double[Math.min(k, n)];
    for (int r = 0; r < ranked.length; r++) {
      ranked[r] = gains[order[r]];
    }
    return RankingMetrics.dcg(ranked, k) / idealDcg;
  }

  /** An example whose query's judged gains are {@code allGains}, for nDCG at {@code k}. */
  public static RankingExample of(float[][] features, double[] gains, double[] allGains, int k) {
    return new RankingExample(features, gains, RankingMetrics.idealDcg(allGains, k));
  }
}
