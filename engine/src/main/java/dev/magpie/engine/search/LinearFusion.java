package dev.magpie.engine.search;

/** The arithmetic of linear fusion, kept apart so it can be tested exactly. */
final class LinearFusion {
  private LinearFusion() {}

  /**
   * {@code scores} min-max normalised to [0, 1]; all zeros when every score is equal (the channel
   * then tells the items apart by nothing).
   */
  static double[] normalised(double[] scores) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double s : scores) {
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    double[] out = new double[scores.length];
    if (max > min) {
      for (int i = 0; i < scores.length; i++) {
        out[i] = (scores[i] - min) / (max - min);
      }
    }
    return out;
  }
}
