package dev.magpie.bench.train;

import dev.magpie.bench.eval.RankingMetrics;

/**
 * One judged query's candidates for training a ranking model.
 *
 * @param features each candidate's feature vector (indexed by Feature ordinal)
 * @param gains each candidate's judged gain (0 when not judged relevant)
 * @param idealDcg DCG@k of the best ordering of every judged gain of the query (relevant items the
 *     candidates missed count against every model alike), computed once
 */
record RankingExample(float[][] features, double[] gains, double idealDcg) {
  /** An example whose query's judged gains are {@code allGains}, for nDCG at {@code k}. */
  static RankingExample of(float[][] features, double[] gains, double[] allGains, int k) {
    return new RankingExample(features, gains, RankingMetrics.idealDcg(allGains, k));
  }
}
