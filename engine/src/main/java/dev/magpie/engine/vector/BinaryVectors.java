package dev.magpie.engine.vector;

import dev.magpie.engine.io.ChecksummedFileWriter;
import dev.magpie.engine.io.ChecksummedFileWriter.WrittenFile;
import dev.magpie.engine.io.MappedFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * One bit per dimension of every item's vector: bit d is set when component d lies above the mean
 * of component d over all items (centring first makes the bits informative for embeddings, whose
 * components are not centred on zero). Two codes agree in {@code dim - hamming distance} bits,
 * which tracks the angle between the centred vectors: a graph walk over 48 bytes a vector (at 384
 * dimensions) instead of 384, whose candidates are then rescored with the int8 codes or the floats.
 *
 * <pre>
 *  body (little-endian)
 *  +---------------------------------------------------------------+ 0
 *  | mean: dim float32                                              |
 *  | zero padding to a multiple of 8                                |
 *  +---------------------------------------------------------------+ rowsOffset
 *  | row 0: W = ceil(dim / 64) int64 words, bit d in word d / 64,   |
 *  |        bit d % 64 (zeros for an item without a vector)         |
 *  | row 1 ... row N-1                                              |
 *  +---------------------------------------------------------------+
 *  file kind: vec.bits   version 1   params: [0] N  [1] dim
 * </pre>
 */
public final class BinaryVectors {
  /** File kind. */
  public static final String KIND = "vec.bits";

  /** Format version. */
  public static final int VERSION = 1;

  /** File name inside a snapshot's {@code vectors/}. */
  public static final String FILE = "bits.bin";

  private static final ValueLayout.OfLong WORD =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfFloat FLOAT =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final MemorySegment rows;
  private final float[] mean;
  private final int count;
  private final int words;

  private BinaryVectors(MemorySegment rows, float[] mean, int count) {
    this.mean = mean;
    this.count = count;
    this.words = words(mean.length);
    if ((long) count * words * Long.BYTES > rows.byteSize()) {
      throw new IllegalArgumentException(
          count + " rows of " + words + " words do not fit in " + rows.byteSize());
    }
    this.rows = Int8DotProduct.plain(rows);
  }

  private static int words(int dim) {
    return (dim + Long.SIZE - 1) / Long.SIZE;
  }

  private static long rowsOffset(int dim) {
    return (4L * dim + 7) & ~7L;
  }

  /**
   * Encodes the {@code present} rows of {@code count} prepared vectors into memory owned by {@code
   * arena}, centred on their mean.
   */
  static BinaryVectors encode(
      Arena arena, int count, int dim, IntFunction<float[]> vectors, IntPredicate present) {
    double[] sum = new double[dim];
    long n = 0;
    for (int i = 0; i < count; i++) {
      if (present.test(i)) {
        float[] v = vectors.apply(i);
        for (int d = 0; d < dim; d++) {
          sum[d] += v[d];
        }
        n++;
      }
    }
    float[] mean = new float[dim];
    for (int d = 0; d < dim; d++) {
      mean[d] = n == 0 ? 0f : (float) (sum[d] / n);
    }
    int w = words(dim);
    MemorySegment rows = arena.allocate(Math.max(8, (long) count * w * Long.BYTES), 64);
    BinaryVectors bits = new BinaryVectors(rows, mean, count);
    for (int i = 0; i < count; i++) {
      if (present.test(i)) {
        MemorySegment.copy(
            bits.encode(vectors.apply(i)), 0, rows, WORD, (long) i * w * Long.BYTES, w);
      }
    }
    return bits;
  }

  /** Maps and verifies {@code path}; {@code arena} owns the mapping. */
  static BinaryVectors open(Path path, Arena arena, boolean verifyChecksums) throws IOException {
    MappedFile file = MappedFile.open(path, arena, KIND, VERSION, verifyChecksums);
    int count = Math.toIntExact(file.param(0));
    int dim = Math.toIntExact(file.param(1));
    MemorySegment body = file.body();
    file.require(
        dim > 0 && rowsOffset(dim) + (long) count * words(dim) * Long.BYTES <= body.byteSize(),
        "binary codes: " + count + " rows of " + dim + " bits in " + body.byteSize() + " bytes");
    float[] mean = new float[dim];
    MemorySegment.copy(body, FLOAT, 0, mean, 0, dim);
    file.release(); // walked only where asked for (VectorIndex#walkingBinaryCodes)
    return new BinaryVectors(body.asSlice(rowsOffset(dim)), mean, count);
  }

  /** Writes these codes as {@code path}. */
  WrittenFile write(Path path) throws IOException {
    try (ChecksummedFileWriter out = ChecksummedFileWriter.create(path, KIND, VERSION)) {
      for (float m : mean) {
        out.writeFloat(m);
      }
      out.writeZeros(rowsOffset(mean.length) - 4L * mean.length);
      out.writeSegment(rows.asSlice(0, (long) count * words * Long.BYTES));
      return out.finish(count, mean.length);
    }
  }

  /** Rows. */
  public int count() {
    return count;
  }

  /** Dimension. */
  public int dim() {
    return mean.length;
  }

  /** The code of a prepared vector. */
  long[] encode(float[] vector) {
    long[] code = new long[words];
    for (int d = 0; d < mean.length; d++) {
      if (vector[d] > mean[d]) {
        code[d >>> 6] |= 1L << (d & 63);
      }
    }
    return code;
  }

  /** Scores nodes by the bits they share with {@code query}: {@code dim - hamming distance}. */
  VectorScorer scorer(long[] query) {
    int dim = mean.length;
    long stride = (long) words * Long.BYTES;
    return node -> {
      long at = node * stride;
      int differ = 0;
      for (int w = 0; w < query.length; w++) {
        differ += Long.bitCount(rows.get(WORD, at + 8L * w) ^ query[w]);
      }
      return dim - differ;
    };
  }
}
