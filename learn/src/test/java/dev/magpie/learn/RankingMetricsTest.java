package dev.magpie.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Metrics against values worked out by hand. */
class RankingMetricsTest {
  @Test
  void gainsFollowTheHomeDepotScale() {
    assertEquals(0.0, RankingMetrics.gain(1), 1e-12);
    assertEquals(1.0, RankingMetrics.gain(2), 1e-12);
    assertEquals(3.0, RankingMetrics.gain(3), 1e-12);
    assertEquals(Math.sqrt(2) * 2 - 1, RankingMetrics.gain(2.5), 1e-12);
  }

  @Test
  void ndcgOfAHandWorkedRanking() {
    // Ranked gains 1, 0, 3 (ratings 2, unjudged, 3); judged pool gains {3, 1, 0}.
    // DCG = 1/log2(2) + 0/log2(3) + 3/log2(4) = 1 + 0 + 1.5 = 2.5
    // IDCG = 3/1 + 1/log2(3) + 0 = 3 + 0.6309298 = 3.6309298
    double ndcg = RankingMetrics.ndcg(new double[] {1, 0, 3}, new double[] {3, 1, 0}, 10);
    assertEquals(2.5 / (3 + 1 / (Math.log(3) / Math.log(2))), ndcg, 1e-9);
    assertEquals(0.688529, ndcg, 1e-6);
    assertEquals(1.0, RankingMetrics.ndcg(new double[] {3, 1}, new double[] {1, 3}, 10), 1e-12);
    assertEquals(
        1.0 / 3.0, RankingMetrics.ndcg(new double[] {1, 3}, new double[] {3, 1}, 1), 1e-12);
    assertTrue(Double.isNaN(RankingMetrics.ndcg(new double[] {0}, new double[] {0, 0}, 10)));
  }

  @Test
  void recallAndReciprocalRank() {
    boolean[] ranked = {false, true, false, true};
    assertEquals(0.5, RankingMetrics.recall(ranked, 4, 10), 1e-12);
    assertEquals(0.25, RankingMetrics.recall(ranked, 4, 2), 1e-12);
    assertEquals(0.5, RankingMetrics.reciprocalRank(ranked, 10), 1e-12);
    assertEquals(0.0, RankingMetrics.reciprocalRank(ranked, 1), 1e-12);
    assertTrue(Double.isNaN(RankingMetrics.recall(ranked, 0, 10)));
  }
}
