package dev.magpie.learn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.rank.RankingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CoordinateAscentTest {
  /**
   * Relevance is decided by TEXT alone, RELEVANCE is noise that the start model trusts: the fitted
   * model must rank every query perfectly (the oracle: nDCG 1), and the start must not.
   */
  @Test
  void findsTheFeatureThatDecidesRelevance() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    List<RankingExample> examples = new ArrayList<>();
    for (int q = 0; q < 40; q++) {
      int n = 20;
      float[][] features = new float[n][Feature.values().length];
      double[] gains = new double[n];
      List<Double> ideal = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        boolean relevant = random.nextInt(4) == 0;
        features[i][Feature.TEXT.ordinal()] =
            relevant ? 0.6f + 0.4f * random.nextFloat() : 0.5f * random.nextFloat();
        features[i][Feature.RELEVANCE.ordinal()] = random.nextFloat();
        gains[i] = relevant ? 1 : 0;
        if (relevant) {
          ideal.add(1.0);
        }
      }
      if (!ideal.isEmpty()) {
        examples.add(
            RankingExample.of(
                features, gains, ideal.stream().mapToDouble(Double::doubleValue).toArray(), 10));
      }
    }
    CoordinateAscent ascent = new CoordinateAscent(examples, 10);
    RankingModel start = new RankingModel("start", Map.of(Feature.RELEVANCE, 1f));
    RankingModel fitted = ascent.fit(start, List.of(Feature.RELEVANCE, Feature.TEXT), 10, "fitted");
    float[] w = new float[Feature.values().length];
    float[] s = new float[Feature.values().length];
    for (Feature f : Feature.values()) {
      w[f.ordinal()] = fitted.weight(f);
      s[f.ordinal()] = start.weight(f);
    }
    assertTrue(ascent.ndcg(s) < 0.9, "seed " + seed + ": the noisy start is not already perfect");
    assertEquals(1.0, ascent.ndcg(w), 1e-9, "seed " + seed + ": " + fitted);
  }
}
