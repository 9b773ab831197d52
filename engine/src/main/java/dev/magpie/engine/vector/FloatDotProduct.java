package dev.magpie.engine.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot product and squared norm of float32 vectors stored little-endian in memory segments (the
 * snapshot's full-precision vectors), with the Vector API: used to rescore the candidates an int8
 * search found.
 */
public final class FloatDotProduct {
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
  private static final ValueLayout.OfFloat FLOAT =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private FloatDotProduct() {}

  /** The dot product of {@code length} floats at byte offsets {@code aOffset} and {@code bOffset}. */
  public static float dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    FloatVector sum = FloatVector.zero(FLOATS);
    int step = FLOATS.length();
    int i = 0;
    for (int bound = length - length % step; i < bound; i += step) {
      FloatVector x = FloatVector.fromMemorySegment(FLOATS, a, aOffset + 4L * i, ByteOrder.LITTLE_ENDIAN);
      FloatVector y = FloatVector.fromMemorySegment(FLOATS, b, bOffset + 4L * i, ByteOrder.LITTLE_ENDIAN);
      sum = x.fma(y, sum);
    }
    float total = sum.reduceLanes(VectorOperators.ADD);
    for (; i < length; i++) {
      total += a.get(FLOAT, aOffset + 4L * i) * b.get(FLOAT, bOffset + 4L * i);
    }
    return total;
  }
}
