package dev.magpie.learn;

import java.util.Arrays;

/**
 * Ranking metrics over graded judgements. Gains follow the Home Depot convention: a mean rating
 * {@code rel} from 1 (irrelevant) to 3 (exact) gains {@code 2^(rel-1) - 1}, so 1 gains 0 and 3
 * gains 3; unjudged items gain 0. An item is relevant for recall and MRR when {@code rel >= }{@link
 * #RELEVANT}.
 */
public final class RankingMetrics {
  /** Smallest mean rating counted as relevant by the binary metrics. */
  public static final double RELEVANT = 2.0;

  private RankingMetrics() {}

  /** The gain of a judgement. */
  public static double gain(double rel) {
    return Math.pow(2, rel - 1) - 1;
  }

  /** DCG of the first {@code k} gains: sum of gain / log2(rank + 1). */
  public static double dcg(double[] gainsInRankOrder, int k) {
    double dcg = 0;
    for (int i = 0; i < Math.min(k, gainsInRankOrder.length); i++) {
      dcg += gainsInRankOrder[i] / (Math.log(i + 2) / Math.log(2));
    }
    return dcg;
  }

  /**
   * nDCG@k: the DCG of the ranking over the DCG of the best ordering of {@code allGains} (every
   * judged item's gain). NaN when no judged item has a positive gain.
   */
  public static double ndcg(double[] gainsInRankOrder, double[] allGains, int k) {
    double idcg = idealDcg(allGains, k);
    return idcg == 0 ? Double.NaN : dcg(gainsInRankOrder, k) / idcg;
  }

  /** The DCG@k of the best ordering of {@code allGains}: nDCG's denominator. */
  public static double idealDcg(double[] allGains, int k) {
    double[] ideal = allGains.clone();
    Arrays.sort(ideal);
    for (int i = 0, j = ideal.length - 1; i < j; i++, j--) {
      double t = ideal[i];
      ideal[i] = ideal[j];
      ideal[j] = t;
    }
    return dcg(ideal, k);
  }

  /** Relevant items in the first {@code k} over all relevant items; NaN when there are none. */
  public static double recall(boolean[] relevantInRankOrder, int relevantTotal, int k) {
    if (relevantTotal == 0) {
      return Double.NaN;
    }
    int found = 0;
    for (int i = 0; i < Math.min(k, relevantInRankOrder.length); i++) {
      if (relevantInRankOrder[i]) {
        found++;
      }
    }
    return (double) found / relevantTotal;
  }

  /** 1 / rank of the first relevant item within the first {@code k}, else 0. */
  public static double reciprocalRank(boolean[] relevantInRankOrder, int k) {
    for (int i = 0; i < Math.min(k, relevantInRankOrder.length); i++) {
      if (relevantInRankOrder[i]) {
        return 1.0 / (i + 1);
      }
    }
    return 0;
  }
}
