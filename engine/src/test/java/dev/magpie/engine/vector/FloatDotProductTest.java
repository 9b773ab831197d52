package dev.magpie.engine.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.magpie.engine.testing.Seeded;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The float kernels sum in one fixed order, the same float however the code runs (interpreted or
 * compiled, before or after warm-up), so that a shard and a single node score alike to the bit. The
 * oracle is that order written out in scalar Java: per lane a fused multiply-add over the
 * vector-width chunks, the lanes then added in a tree of rotations (lane i takes lane i + half,
 * then i + quarter, ...), the tail added one float at a time.
 */
@Seeded
class FloatDotProductTest {
  private static final int LANES = FloatVector.SPECIES_PREFERRED.length();
  private static final ValueLayout.OfFloat FLOAT =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** The kernels' order of additions, in scalar Java. */
  private static float oracle(float[] row, float[] query) {
    int length = query.length;
    float[] lanes = new float[LANES];
    int i = 0;
    for (int bound = length - length % LANES; i < bound; i += LANES) {
      for (int l = 0; l < LANES; l++) {
        lanes[l] = Math.fma(row[i + l], query[i + l], lanes[l]);
      }
    }
    for (int step = LANES / 2; step >= 1; step /= 2) {
      float[] next = new float[LANES];
      for (int l = 0; l < LANES; l++) {
        next[l] = lanes[l] + lanes[(l + step) % LANES];
      }
      lanes = next;
    }
    float total = lanes[0];
    for (; i < length; i++) {
      total += row[i] * query[i];
    }
    return total;
  }

  @Test
  void everyKernelSumsInTheOneFixedOrder(Random random) {
    try (Arena arena = Arena.ofConfined()) {
      for (int trial = 0; trial < 2_000; trial++) {
        int length = 1 + random.nextInt(400);
        float[] row = new float[length];
        float[] query = new float[length];
        for (int d = 0; d < length; d++) {
          // Magnitudes far apart, so that another order of additions gives another float.
          row[d] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
          query[d] = (float) random.nextGaussian();
        }
        MemorySegment segment = arena.allocate(4L * length + 8);
        long offset = 4L * random.nextInt(2);
        MemorySegment.copy(row, 0, segment, FLOAT, offset, length);
        float expected = oracle(row, query);
        String what = "length " + length + ", trial " + trial;
        assertEquals(expected, FloatDotProduct.dot(segment, offset, query), 0f, what);
        float[] padded = new float[length + 3];
        System.arraycopy(row, 0, padded, 3, length);
        assertEquals(expected, FloatDotProduct.dot(padded, 3, query), 0f, what);
        assertEquals(
            oracle(row, row), FloatDotProduct.squaredNorm(segment, offset, length), 0f, what);
      }
    }
  }

  @Test
  void aFloatQueryAgainstCodesSumsInTheSameOrder(Random random) {
    try (Arena arena = Arena.ofConfined()) {
      for (int trial = 0; trial < 2_000; trial++) {
        int length = 1 + random.nextInt(400);
        byte[] codes = new byte[length];
        float[] asFloats = new float[length];
        float[] query = new float[length];
        for (int d = 0; d < length; d++) {
          codes[d] = (byte) (random.nextInt(255) - 127);
          asFloats[d] = codes[d];
          query[d] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
        }
        MemorySegment segment = arena.allocate(length + 8L);
        long offset = random.nextInt(8);
        MemorySegment.copy(codes, 0, segment, ValueLayout.JAVA_BYTE, offset, length);
        assertEquals(
            oracle(asFloats, query),
            FloatDotProduct.dotCodes(segment, offset, query),
            0f,
            "length " + length + ", trial " + trial);
      }
    }
  }
}
