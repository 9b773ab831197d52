package dev.magpie.engine.vector;

/**
 * How two vectors are compared. Both are computed as a dot product over int8 codes; {@link #COSINE}
 * normalises every vector (catalog and query) to unit length first, so its dot product is the
 * cosine.
 */
public enum VectorSimilarity {
  /** Cosine of the angle: vectors are normalised, then compared by dot product. */
  COSINE,
  /** Plain dot product of the vectors as given (for models trained with it). */
  DOT_PRODUCT;

  /**
   * {@code vector} prepared for indexing or querying: a unit-length copy for {@link #COSINE}, the
   * vector itself otherwise.
   *
   * @throws IllegalArgumentException if a cosine vector has length zero
   */
  public float[] prepare(float[] vector) {
    if (this == DOT_PRODUCT) {
      return vector;
    }
    double sum = 0;
    for (float v : vector) {
      sum += (double) v * v;
    }
    if (sum == 0) {
      throw new IllegalArgumentException(
          "a zero vector has no direction: cosine similarity is undefined");
    }
    float inverse = (float) (1 / Math.sqrt(sum));
    float[] unit = new float[vector.length];
    for (int i = 0; i < unit.length; i++) {
      unit[i] = vector[i] * inverse;
    }
    return unit;
  }

  /** The exact similarity of two prepared vectors: their dot product. */
  public static float dot(float[] a, float[] b) {
    float sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
