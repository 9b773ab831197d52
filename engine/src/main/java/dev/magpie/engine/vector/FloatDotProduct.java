package dev.magpie.engine.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products and squared norms of float32 rows stored little-endian in an off-heap segment (the
 * snapshot's full-precision vectors), with the Vector API: used to rescore the candidates an int8
 * search found, and by exact search in benchmarks. Queries are heap arrays, read as arrays, and
 * rows should come from segments of one class (see {@link Int8DotProduct#plain}).
 *
 * <p>The lanes are summed in a fixed tree ({@link #sum}), not with {@code reduceLanes}, whose order
 * of additions is unspecified and differs between the interpreter and compiled code: a similarity
 * is then the same float in every JVM and at every point of warm-up, so that two servers (or a
 * shard and a single node) score alike to the last bit.
 */
public final class FloatDotProduct {
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
  private static final ValueLayout.OfFloat FLOAT =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** Codes widened per step: one float lane per byte. */
  private static final VectorSpecies<Byte> CODES =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(FLOATS.length() * Byte.SIZE));

  private FloatDotProduct() {}

  /**
   * The dot product of the {@code query.length} signed 8-bit codes at byte offset {@code offset}
   * with the float {@code query}: a full-precision query against a quantized row (asymmetric
   * scoring), summed in the same fixed tree as the float rows.
   */
  public static float dotCodes(MemorySegment codes, long offset, float[] query) {
    int length = query.length;
    FloatVector sum = FloatVector.zero(FLOATS);
    int step = FLOATS.length();
    int i = 0;
    for (int bound = length - length % step; i < bound; i += step) {
      FloatVector x =
          (FloatVector)
              ByteVector.fromMemorySegment(CODES, codes, offset + i, ByteOrder.LITTLE_ENDIAN)
                  .convertShape(VectorOperators.B2F, FLOATS, 0);
      sum = x.fma(FloatVector.fromArray(FLOATS, query, i), sum);
    }
    float total = sum(sum);
    for (; i < length; i++) {
      total += codes.get(ValueLayout.JAVA_BYTE, offset + i) * query[i];
    }
    return total;
  }

  /**
   * The dot product of the {@code query.length} floats at byte offset {@code offset} with {@code
   * query}.
   */
  public static float dot(MemorySegment rows, long offset, float[] query) {
    int length = query.length;
    FloatVector sum = FloatVector.zero(FLOATS);
    int step = FLOATS.length();
    int i = 0;
    for (int bound = length - length % step; i < bound; i += step) {
      FloatVector x =
          FloatVector.fromMemorySegment(FLOATS, rows, offset + 4L * i, ByteOrder.LITTLE_ENDIAN);
      sum = x.fma(FloatVector.fromArray(FLOATS, query, i), sum);
    }
    float total = sum(sum);
    for (; i < length; i++) {
      total += rows.get(FLOAT, offset + 4L * i) * query[i];
    }
    return total;
  }

  /**
   * The dot product of the {@code query.length} floats of the heap array {@code rows} from index
   * {@code offset} with {@code query} (rows of vectors added live; a method of its own so that the
   * segment one keeps a single receiver class).
   */
  public static float dot(float[] rows, int offset, float[] query) {
    int length = query.length;
    FloatVector sum = FloatVector.zero(FLOATS);
    int step = FLOATS.length();
    int i = 0;
    for (int bound = length - length % step; i < bound; i += step) {
      sum =
          FloatVector.fromArray(FLOATS, rows, offset + i)
              .fma(FloatVector.fromArray(FLOATS, query, i), sum);
    }
    float total = sum(sum);
    for (; i < length; i++) {
      total += rows[offset + i] * query[i];
    }
    return total;
  }

  /**
   * Rotations by half the lanes, a quarter, ..., one: adding each to the vector in turn sums it in
   * a fixed tree, lane-wise (every lane-wise add is exact IEEE arithmetic, whoever runs it).
   */
  private static final List<VectorShuffle<Float>> HALVINGS = halvings();

  private static List<VectorShuffle<Float>> halvings() {
    List<VectorShuffle<Float>> out = new ArrayList<>();
    for (int step = FLOATS.length() / 2; step >= 1; step /= 2) {
      out.add(VectorShuffle.iota(FLOATS, step, 1, true));
    }
    return List.copyOf(out);
  }

  /** The lanes of {@code v} added in a fixed tree: the same float however the code runs. */
  private static float sum(FloatVector v) {
    for (VectorShuffle<Float> rotation : HALVINGS) {
      v = v.add(v.rearrange(rotation));
    }
    return v.lane(0);
  }

  /** The squared length of the {@code length} floats at byte offset {@code offset}. */
  public static float squaredNorm(MemorySegment rows, long offset, int length) {
    FloatVector sum = FloatVector.zero(FLOATS);
    int step = FLOATS.length();
    int i = 0;
    for (int bound = length - length % step; i < bound; i += step) {
      FloatVector x =
          FloatVector.fromMemorySegment(FLOATS, rows, offset + 4L * i, ByteOrder.LITTLE_ENDIAN);
      sum = x.fma(x, sum);
    }
    float total = sum(sum);
    for (; i < length; i++) {
      float x = rows.get(FLOAT, offset + 4L * i);
      total += x * x;
    }
    return total;
  }
}
