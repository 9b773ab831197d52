package dev.magpie.bench.ann;

import dev.magpie.engine.io.ChecksummedFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The exact nearest neighbours of each query of an ANN benchmark, for programs outside Magpie that
 * measure recall against the same truth.
 *
 * <pre>
 *  +--------------------------------------------------------------+ 0
 *  | header: magic, version 1, kind "ann.truth" (see FileFormat)   |
 *  +--------------------------------------------------------------+ 64
 *  | query 0: k little-endian int32 row numbers, nearest first     |
 *  | query 1 ... query Q-1                                         |
 *  +--------------------------------------------------------------+
 *  | params: [0] Q  [1] k;  footer with CRC32C                     |
 *  +--------------------------------------------------------------+
 * </pre>
 */
public final class NeighbourFile {
  /** File kind. */
  public static final String KIND = "ann.truth";

  /** Format version. */
  public static final int VERSION = 1;

  private NeighbourFile() {}

  /**
   * Writes {@code neighbours}, every row of the same length, replacing any file at {@code path}.
   */
  public static void write(Path path, int[][] neighbours) throws IOException {
    Files.deleteIfExists(path);
    int k = neighbours.length == 0 ? 0 : neighbours[0].length;
    try (ChecksummedFileWriter out = ChecksummedFileWriter.create(path, KIND, VERSION)) {
      for (int[] row : neighbours) {
        if (row.length != k) {
          throw new IllegalArgumentException("neighbour rows of " + row.length + " and " + k);
        }
        for (int id : row) {
          out.writeInt(id);
        }
      }
      out.finish(neighbours.length, k);
    }
  }
}
