package dev.magpie.engine.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products and squared norms of float32 rows stored little-endian in an off-heap segment (the
 * snapshot's full-precision vectors), with the Vector API: used to rescore the candidates an int8
 * search found, and by exact search in benchmarks. Queries are heap arrays, read as arrays, and
 * rows should come from segments of one class (see {@link Int8DotProduct#plain}).
 *
 * <p>The lanes are summed in lane order ({@link #sum}), not with {@code reduceLanes}, whose order
 * of additions is unspecified and differs between the interpreter and compiled code: a similarity
 * is then the same float in every JVM and at every point of warm-up, so that two servers (or a
 * shard and a single node) score alike to the last bit.
 */
public final class FloatDotProduct {
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
  private static final ValueLayout.OfFloat FLOAT =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private FloatDotProduct() {}

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

  /** The lanes of {@code v} added in lane order: the same float however the code runs. */
  private static float sum(FloatVector v) {
    float[] lanes = v.toArray();
    float total = 0f;
    for (float lane : lanes) {
      total += lane;
    }
    return total;
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
