package dev.magpie.engine.recommend;

/** Small helpers for the dense vectors recommendation blends. */
final class Vectors {
  private Vectors() {}

  /** {@code v} scaled in place to unit length; returns it, or null when it is all zeros. */
  static float[] unit(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    if (norm == 0) {
      return null;
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int d = 0; d < v.length; d++) {
      v[d] *= scale;
    }
    return v;
  }
}
