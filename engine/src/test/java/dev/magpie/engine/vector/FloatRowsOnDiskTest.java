package dev.magpie.engine.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.testing.Seeded;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Seeded
class FloatRowsOnDiskTest {
  @Test
  void readsEachRowAsWrittenFromAnyThread(Random random, @TempDir Path dir) throws Exception {
    int dim = 1 + random.nextInt(50);
    float[][] rows = new float[200][dim];
    for (float[] row : rows) {
      for (int d = 0; d < dim; d++) {
        row[d] = (float) random.nextGaussian();
      }
    }
    int offset = random.nextInt(100);
    try (Arena arena = Arena.ofShared()) {
      FloatRowsOnDisk disk = VectorIndexTest.onDisk(arena, dir.resolve("rows"), rows, offset);
      Thread[] readers = new Thread[3];
      Throwable[] failed = new Throwable[1];
      for (int t = 0; t < readers.length; t++) {
        long seed = random.nextLong();
        readers[t] =
            new Thread(
                () -> {
                  Random r = new Random(seed);
                  float[] into = new float[dim];
                  try {
                    for (int i = 0; i < 2_000; i++) {
                      int row = r.nextInt(rows.length);
                      disk.read(row, into);
                      assertArrayEquals(rows[row], into, "row " + row);
                    }
                  } catch (Throwable e) {
                    failed[0] = e;
                  }
                },
                "rows-on-disk-reader-" + t);
        readers[t].start();
      }
      for (Thread t : readers) {
        t.join();
      }
      if (failed[0] != null) {
        throw new AssertionError(failed[0]);
      }
      assertThrows(IndexOutOfBoundsException.class, () -> disk.read(rows.length, new float[dim]));
      assertThrows(
          IllegalArgumentException.class,
          () -> FloatRowsOnDisk.open(dir.resolve("rows"), offset, rows.length + 1, dim, arena),
          "a file too short for its rows");
    }
  }

  @Test
  void closesItsFileWithTheArena(@TempDir Path dir) throws IOException {
    float[][] rows = {{1f, 2f}, {3f, 4f}};
    FloatRowsOnDisk disk;
    try (Arena arena = Arena.ofShared()) {
      disk = VectorIndexTest.onDisk(arena, dir.resolve("rows"), rows, 0);
      float[] into = new float[2];
      disk.read(1, into);
      assertArrayEquals(rows[1], into);
    }
    UncheckedIOException closed =
        assertThrows(UncheckedIOException.class, () -> disk.read(0, new float[2]));
    assertTrue(closed.getMessage().contains("reading vector 0"), closed.getMessage());
  }
}
