package dev.magpie.bench.ann;

import dev.magpie.engine.io.ChecksummedFileWriter;
import dev.magpie.engine.io.MappedFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * A set of float vectors in one Magpie file: the data sets and queries of {@code magpie bench ann},
 * readable by other programs without Magpie (the C++ hnswlib comparison reads it with numpy).
 *
 * <pre>
 *  +--------------------------------------------------------------+ 0
 *  | header: magic, version 1, kind "vec.f32" (see FileFormat)     |
 *  +--------------------------------------------------------------+ 64
 *  | row 0: dim little-endian float32                              |
 *  | row 1 ... row N-1                                             |
 *  +--------------------------------------------------------------+
 *  | params: [0] N  [1] dim;  footer with CRC32C                   |
 *  +--------------------------------------------------------------+
 * </pre>
 *
 * @param rows the rows, back to back, mapped
 * @param count rows
 * @param dim floats per row
 */
public record VectorFile(MemorySegment rows, int count, int dim) {
  /** File kind. */
  public static final String KIND = "vec.f32";

  /** Format version. */
  public static final int VERSION = 1;

  private static final ValueLayout.OfFloat FLOAT =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /**
   * Writes {@code count} rows of {@code dim} floats, row {@code i} from {@code row.apply(i)},
   * replacing any file at {@code path} (a write cut short leaves a file readers refuse).
   */
  public static void write(Path path, int count, int dim, IntFunction<float[]> row)
      throws IOException {
    Files.deleteIfExists(path);
    try (ChecksummedFileWriter out = ChecksummedFileWriter.create(path, KIND, VERSION)) {
      for (int i = 0; i < count; i++) {
        float[] v = row.apply(i);
        if (v.length != dim) {
          throw new IllegalArgumentException(
              "row " + i + " has " + v.length + " floats, expected " + dim);
        }
        for (float x : v) {
          out.writeFloat(x);
        }
      }
      out.finish(count, dim);
    }
  }

  /** Maps and verifies {@code path}; {@code arena} owns the mapping. */
  public static VectorFile open(Path path, Arena arena) throws IOException {
    MappedFile file = MappedFile.open(path, arena, KIND, VERSION, true);
    int count = Math.toIntExact(file.param(0));
    int dim = Math.toIntExact(file.param(1));
    file.require(
        dim > 0 && 4L * count * dim <= file.body().byteSize(),
        "vectors: "
            + count
            + " rows of "
            + dim
            + " floats in "
            + file.body().byteSize()
            + " bytes");
    return new VectorFile(file.body().asSlice(0, 4L * count * dim), count, dim);
  }

  /** A heap copy of row {@code i}. */
  public float[] row(int i) {
    float[] v = new float[dim];
    MemorySegment.copy(rows, FLOAT, 4L * dim * i, v, 0, dim);
    return v;
  }
}
