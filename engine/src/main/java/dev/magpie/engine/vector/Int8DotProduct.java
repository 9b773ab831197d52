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
 * Dot products of signed 8-bit codes: rows read straight from an off-heap segment (mapped snapshot
 * file, or memory being built), queries from a heap array. The hot loop of every vector search:
 * each step widens a lane's worth of bytes to ints and accumulates their products with the Vector
 * API, so it uses AVX-512 or AVX2 where the CPU has them. Needs {@code --add-modules
 * jdk.incubator.vector}.
 *
 * <p>The Vector API compiles a load from a memory segment to one instruction only when the JIT
 * knows the segment's class at that load. A heap query and an off-heap row flowing through the same
 * load (or mapped and allocated rows) make that class unknown and every load falls back to a slow
 * Java path, several times slower overall (seen in a JFR profile of {@code magpie bench ann}).
 * Hence heap queries are read as arrays, and callers hand in rows of one segment class ({@link
 * #plain}).
 *
 * <p>Widening to shorts first (multiplying 32 lanes, then widening the products) measured slower:
 * 98 against 82 ns a 384-byte row visited in random order ({@code magpie jmh VectorDot}), where the
 * row's six cache lines, not the arithmetic, take most of the time.
 *
 * <p>For the same reason {@link #dot4} scores four rows in one loop: their loads interleave, so
 * four rows' cache misses are in flight at once instead of one row's: 47 against 102 ns a row over
 * 100,000 rows visited in random order, 128 against 258 over a million ({@code magpie jmh
 * VectorDotBenchmark.int8 -p rows=100000,1000000}, one run).
 */
public final class Int8DotProduct {
  private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;

  /** Bytes widened per step: one int lane per byte. */
  private static final VectorSpecies<Byte> BYTES =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(INTS.length() * Byte.SIZE));

  private static final int STEP = INTS.length();

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
      IntVector x =
          (IntVector)
              ByteVector.fromMemorySegment(BYTES, rows, offset + i, ByteOrder.LITTLE_ENDIAN)
                  .convertShape(VectorOperators.B2I, INTS, 0);
      IntVector y =
          (IntVector)
              ByteVector.fromArray(BYTES, query, i).convertShape(VectorOperators.B2I, INTS, 0);
      sum = sum.add(x.mul(y));
    }
    int total = sum.reduceLanes(VectorOperators.ADD);
    for (; i < length; i++) {
      total += rows.get(ValueLayout.JAVA_BYTE, offset + i) * query[i];
    }
    return total;
  }

  /**
   * The dot products of {@code query} with the four rows at {@code rows[o0]}, {@code rows[o1]},
   * {@code rows[o2]} and {@code rows[o3]}, into {@code out[at]} to {@code out[at + 3]}: what four
   * calls of {@link #dot(MemorySegment, long, byte[])} give, with the four rows read together.
   *
   * @throws IndexOutOfBoundsException if a row leaves its segment
   */
  public static void dot4(
      MemorySegment rows, long o0, long o1, long o2, long o3, byte[] query, int[] out, int at) {
    int length = query.length;
    IntVector s0 = IntVector.zero(INTS);
    IntVector s1 = s0;
    IntVector s2 = s0;
    IntVector s3 = s0;
    int i = 0;
    int bound = length - length % STEP;
    for (; i < bound; i += STEP) {
      IntVector y =
          (IntVector)
              ByteVector.fromArray(BYTES, query, i).convertShape(VectorOperators.B2I, INTS, 0);
      s0 = s0.add(widened(rows, o0 + i).mul(y));
      s1 = s1.add(widened(rows, o1 + i).mul(y));
      s2 = s2.add(widened(rows, o2 + i).mul(y));
      s3 = s3.add(widened(rows, o3 + i).mul(y));
    }
    int t0 = s0.reduceLanes(VectorOperators.ADD);
    int t1 = s1.reduceLanes(VectorOperators.ADD);
    int t2 = s2.reduceLanes(VectorOperators.ADD);
    int t3 = s3.reduceLanes(VectorOperators.ADD);
    for (; i < length; i++) {
      int q = query[i];
      t0 += rows.get(ValueLayout.JAVA_BYTE, o0 + i) * q;
      t1 += rows.get(ValueLayout.JAVA_BYTE, o1 + i) * q;
      t2 += rows.get(ValueLayout.JAVA_BYTE, o2 + i) * q;
      t3 += rows.get(ValueLayout.JAVA_BYTE, o3 + i) * q;
    }
    out[at] = t0;
    out[at + 1] = t1;
    out[at + 2] = t2;
    out[at + 3] = t3;
  }

  private static IntVector widened(MemorySegment rows, long offset) {
    return (IntVector)
        ByteVector.fromMemorySegment(BYTES, rows, offset, ByteOrder.LITTLE_ENDIAN)
            .convertShape(VectorOperators.B2I, INTS, 0);
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
      IntVector x =
          (IntVector)
              ByteVector.fromMemorySegment(BYTES, a, aOffset + i, ByteOrder.LITTLE_ENDIAN)
                  .convertShape(VectorOperators.B2I, INTS, 0);
      IntVector y =
          (IntVector)
              ByteVector.fromMemorySegment(BYTES, b, bOffset + i, ByteOrder.LITTLE_ENDIAN)
                  .convertShape(VectorOperators.B2I, INTS, 0);
      sum = sum.add(x.mul(y));
    }
    int total = sum.reduceLanes(VectorOperators.ADD);
    for (; i < length; i++) {
      total +=
          a.get(ValueLayout.JAVA_BYTE, aOffset + i) * b.get(ValueLayout.JAVA_BYTE, bOffset + i);
    }
    return total;
  }

  /** The same dot product, one element at a time: the oracle for tests. */
  static int dotScalar(MemorySegment a, long aOffset, MemorySegment b, long bOffset, int length) {
    int total = 0;
    for (int i = 0; i < length; i++) {
      total +=
          a.get(ValueLayout.JAVA_BYTE, aOffset + i) * b.get(ValueLayout.JAVA_BYTE, bOffset + i);
    }
    return total;
  }
}
