package dev.magpie.engine.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products of signed 8-bit codes, read straight from memory segments (mapped snapshot files, or
 * heap arrays wrapped with {@link MemorySegment#ofArray(byte[])}). The hot loop of every vector
 * search: each step widens a lane's worth of bytes to ints and accumulates their products with the
 * Vector API, so it uses AVX-512 or AVX2 where the CPU has them. Needs {@code --add-modules
 * jdk.incubator.vector}.
 */
public final class Int8DotProduct {
  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
  /** Bytes widened per step: one int lane per byte. */
  private static final VectorSpecies<Byte> BYTES =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(INTS.length() * Byte.SIZE));
  private static final int STEP = INTS.length();

  private Int8DotProduct() {}

  /**
   * The dot product of {@code length} codes at {@code a[aOffset]} and {@code b[bOffset]}.
   *
   * @throws IndexOutOfBoundsException if either range leaves its segment
   */
  public static int dot(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    IntVector sum = IntVector.zero(INTS);
    int i = 0;
    int bound = length - length % STEP;
    for (; i < bound; i += STEP) {
      IntVector x = (IntVector) ByteVector.fromMemorySegment(BYTES, a, aOffset + i, ByteOrder.LITTLE_ENDIAN)
          .convertShape(VectorOperators.B2I, INTS, 0);
      IntVector y = (IntVector) ByteVector.fromMemorySegment(BYTES, b, bOffset + i, ByteOrder.LITTLE_ENDIAN)
          .convertShape(VectorOperators.B2I, INTS, 0);
      sum = sum.add(x.mul(y));
    }
    int total = sum.reduceLanes(VectorOperators.ADD);
    for (; i < length; i++) {
      total += a.get(ValueLayout.JAVA_BYTE, aOffset + i) * b.get(ValueLayout.JAVA_BYTE, bOffset + i);
    }
    return total;
  }

  /** The same dot product, one element at a time: the oracle for tests. */
  static int dotScalar(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    int total = 0;
    for (int i = 0; i < length; i++) {
      total += a.get(ValueLayout.JAVA_BYTE, aOffset + i) * b.get(ValueLayout.JAVA_BYTE, bOffset + i);
    }
    return total;
  }
}
