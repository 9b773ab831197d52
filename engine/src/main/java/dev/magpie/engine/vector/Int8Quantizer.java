package dev.magpie.engine.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Symmetric scalar quantization of float vectors to signed 8-bit codes: {@code code = round(x *
 * scale)} clipped to [-127, 127], one scale for every dimension, so that the dot product of two
 * codes divided by {@code scale²} approximates the dot product of the vectors and the int8 kernel
 * of {@link Int8DotProduct} can compare codes directly. The scale maps a high quantile of |x| (not
 * the maximum) to 127: a few outlying components are clipped so that the common ones keep more
 * levels.
 */
public final class Int8Quantizer {
  /** Largest code magnitude; -128 is never used, so codes are symmetric around zero. */
  public static final int MAX_CODE = 127;

  private static final int MAX_SAMPLE_VALUES = 4_000_000;

  private final float scale;

  /** A quantizer with {@code scale} (codes per unit). */
  public Int8Quantizer(float scale) {
    if (!(scale > 0) || Float.isInfinite(scale)) {
      throw new IllegalArgumentException(
          "quantizer scale must be positive and finite, got " + scale);
    }
    this.scale = scale;
  }

  /**
   * Fits a scale to {@code vectors} (already {@link VectorSimilarity#prepare prepared}): the
   * quantile 1 - 1/(dim + 1) of |x| over an evenly spaced sample of at most four million values
   * becomes code 127. Deterministic for the same vectors.
   *
   * @param vectors gives vector {@code i} of {@code count}
   */
  public static Int8Quantizer fit(int count, int dim, IntFunction<float[]> vectors) {
    if (count == 0) {
      return new Int8Quantizer(MAX_CODE);
    }
    int step = Math.max(1, (int) Math.ceil((double) count * dim / MAX_SAMPLE_VALUES));
    int sampled = (count + step - 1) / step;
    float[] values = new float[sampled * dim];
    int at = 0;
    for (int i = 0; i < count; i += step) {
      for (float v : vectors.apply(i)) {
        values[at++] = Math.abs(v);
      }
    }
    values = Arrays.copyOf(values, at);
    Arrays.sort(values);
    double quantile = 1.0 - 1.0 / (dim + 1);
    float clip =
        values[Math.min(values.length - 1, (int) Math.floor(quantile * (values.length - 1)))];
    if (!(clip > 0)) {
      clip = values[values.length - 1] > 0 ? values[values.length - 1] : 1f;
    }
    return new Int8Quantizer(MAX_CODE / clip);
  }

  /** Codes per unit: {@code code = round(x * scale)}. */
  public float scale() {
    return scale;
  }

  /** The approximate dot product of two vectors whose codes have dot product {@code codeDot}. */
  public float similarity(int codeDot) {
    return codeDot / (scale * scale);
  }

  /** Writes the codes of {@code vector} to {@code out} at {@code offset}. */
  public void quantize(float[] vector, MemorySegment out, long offset) {
    for (int i = 0; i < vector.length; i++) {
      out.set(ValueLayout.JAVA_BYTE, offset + i, code(vector[i]));
    }
  }

  /** The codes of {@code vector}. */
  public byte[] quantize(float[] vector) {
    byte[] codes = new byte[vector.length];
    for (int i = 0; i < vector.length; i++) {
      codes[i] = code(vector[i]);
    }
    return codes;
  }

  private byte code(float x) {
    int q = Math.round(x * scale);
    return (byte) Math.max(-MAX_CODE, Math.min(MAX_CODE, q));
  }
}
