package dev.magpie.learn.train;

import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.rank.RankingModel;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Fits a linear {@link RankingModel} to maximise mean nDCG@k directly, by coordinate ascent
 * (Metzler and Croft's method, as in RankLib): from a starting model, each feature's weight in turn
 * tries a ladder of steps up and down and keeps the best that improves the metric; rounds repeat
 * until one changes nothing. The metric is flat almost everywhere, so this beats gradient methods
 * on the small feature sets here. Deterministic.
 */
public final class CoordinateAscent {
  private static final float[] STEPS = {0.01f, 0.03f, 0.1f, 0.3f, 1f};

  private final List<RankingExample> examples;
  private final int k;

  /** A fitter of models to {@code examples} by nDCG@{@code k}. */
  public CoordinateAscent(List<RankingExample> examples, int k) {
    this.examples = examples;
    this.k = k;
  }

  /** Mean nDCG@k of {@code weights} over the examples. */
  public double ndcg(float[] weights) {
    double sum = 0;
    for (RankingExample e : examples) {
      int n = e.features().length;
      double[] scores = new double[n];
      for (int i = 0; i < n; i++) {
        float s = 0;
        for (int f = 0; f < weights.length; f++) {
          s += weights[f] * e.features()[i][f];
        }
        scores[i] = s;
      }
      sum += e.ndcg(scores, 0, k);
    }
    return examples.isEmpty() ? 0 : sum / examples.size();
  }

  /** The fitted model over {@code features}, starting from {@code start}, named {@code name}. */
  public RankingModel fit(RankingModel start, List<Feature> features, int maxRounds, String name) {
    float[] w = new float[Feature.values().length];
    for (Feature f : Feature.values()) {
      w[f.ordinal()] = start.weight(f);
    }
    double best = ndcg(w);
    for (int round = 0; round < maxRounds; round++) {
      boolean changed = false;
      for (Feature f : features) {
        float original = w[f.ordinal()];
        float bestWeight = original;
        for (float step : STEPS) {
          for (float sign : new float[] {1f, -1f}) {
            w[f.ordinal()] = original + sign * step;
            double m = ndcg(w);
            if (m > best + 1e-6) {
              best = m;
              bestWeight = w[f.ordinal()];
            }
          }
        }
        w[f.ordinal()] = bestWeight;
        changed |= bestWeight != original;
      }
      if (!changed) {
        break;
      }
    }
    Map<Feature, Float> weights = new EnumMap<>(Feature.class);
    for (Feature f : Feature.values()) {
      if (w[f.ordinal()] != 0) {
        weights.put(f, w[f.ordinal()]);
      }
    }
    return new RankingModel(name, weights);
  }
}
