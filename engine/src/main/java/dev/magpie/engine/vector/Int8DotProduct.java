package dev.magpie.engine.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products of signed 8-bit codes: rows read straight from an off-heap segment (mapped snapshot
 * file, or memory being built), queries from a heap array. The hot loop of every vector search:
 * each step widens a lane's worth of bytes to ints and accumulates their products with the Vector
 * API, so it uses AVX-512 or AVX2 where the CPU has them. Needs {@code --add-modules
 * jdk.incubator.vector}.
 *
 * <p>The Vector API compiles a load from a memory segment to one instruction only when the JIT knows
 * the segment's class at that load. A heap query and an off-heap row flowing through the same load
 * (or mapped and allocated rows) make that class unknown and every load falls back to a slow Java
 * path, several times slower overall (seen in a JFR profile of {@code magpie bench ann}). Hence heap
 * queries are read as arrays, and callers hand in rows of one segment class ({@link #plain}).
 */
public final class Int8DotProduct {
  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
  /** Bytes widened per step: one int lane per byte. */
  private static final VectorSpecies<Byte> BYTES =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(INTS.length() * Byte.SIZE));
  private static final int STEP = INTS.length();
  private static final VectorSpecies<Short> SHORTS =
      VectorSpecies.of(short.class, VectorShape.forBitSize(INTS.length() * Integer.SIZE));
  /** Bytes widened per step of {@link #dotViaShorts}: one short lane per byte. */
  private static final VectorSpecies<Byte> HALF_BYTES =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(SHORTS.length() * Byte.SIZE));
  private static final int SHORT_STEP = SHORTS.length();

  private Int8DotProduct() {}

  /**
   * {@code segment} as a plain native segment of the same memory, size, scope and access mode, when
   * it is off-heap (a mapped segment is of another class than an allocated one); heap segments as
   * they are. Needs native access ({@code --enable-native-access}).
   */
  @SuppressWarnings("restricted")
  public static MemorySegment plain(MemorySegment segment) {
    return segment.isNative() ? segment.reinterpret(segment.byteSize()) : segment;
  }

  /**
   * The dot product of the {@code query.length} codes at {@code rows[offset]} with {@code query}.
   *
   * @throws IndexOutOfBoundsException if the row leaves its segment
   */
  public static int dot(MemorySegment rows, long offset, byte[] query) {
    int length = query.length;
    IntVector sum = IntVector.zero(INTS);
    int i = 0;
    int bound = length - length % STEP;
    for (; i < bound; i += STEP) {
      IntVector x = (IntVector) ByteVector.fromMemorySegment(BYTES, rows, offset + i, ByteOrder.LITTLE_ENDIAN)
          .convertShape(VectorOperators.B2I, INTS, 0);
      IntVector y = (IntVector) ByteVector.fromArray(BYTES, query, i).convertShape(VectorOperators.B2I, INTS, 0);
      sum = sum.add(x.mul(y));
    }
    int total = sum.reduceLanes(VectorOperators.ADD);
    for (; i < length; i++) {
      total += rows.get(ValueLayout.JAVA_BYTE, offset + i) * query[i];
    }
    return total;
  }

  /**
   * The same as {@link #dot(MemorySegment, long, byte[])}, widening to shorts: products of two
   * int8 values fit a short (at most 128 x 128), so each step multiplies twice the lanes before
   * widening the products to ints. Measured against {@link #dot(MemorySegment, long, byte[])}.
   */
  public static int dotViaShorts(MemorySegment rows, long offset, byte[] query) {
    int length = query.length;
    IntVector low = IntVector.zero(INTS);
    IntVector high = IntVector.zero(INTS);
    int i = 0;
    int bound = length - length % SHORT_STEP;
    for (; i < bound; i += SHORT_STEP) {
      ShortVector x = (ShortVector) ByteVector.fromMemorySegment(HALF_BYTES, rows, offset + i, ByteOrder.LITTLE_ENDIAN)
          .convertShape(VectorOperators.B2S, SHORTS, 0);
      ShortVector y = (ShortVector) ByteVector.fromArray(HALF_BYTES, query, i)
          .convertShape(VectorOperators.B2S, SHORTS, 0);
      ShortVector product = x.mul(y);
      low = low.add(product.convertShape(VectorOperators.S2I, INTS, 0));
      high = high.add(product.convertShape(VectorOperators.S2I, INTS, 1));
    }
    int total = low.add(high).reduceLanes(VectorOperators.ADD);
    for (; i < length; i++) {
      total += rows.get(ValueLayout.JAVA_BYTE, offset + i) * query[i];
    }
    return total;
  }

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
