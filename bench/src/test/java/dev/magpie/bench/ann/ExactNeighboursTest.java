package dev.magpie.bench.ann;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.magpie.engine.testing.Seeded;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Seeded
class ExactNeighboursTest {
  @Test
  void blockedMultiThreadedScanMatchesSortingEveryScore(Random random, @TempDir Path dir)
      throws Exception {
    int n = 700 + random.nextInt(300);
    int dim = 1 + random.nextInt(40);
    float[][] rows = new float[n][dim];
    for (float[] row : rows) {
      for (int d = 0; d < dim; d++) {
        // Few distinct values: many exact ties, which must go to the lower row.
        row[d] = random.nextInt(5) - 2;
      }
    }
    float[][] queries = new float[37][dim];
    for (float[] q : queries) {
      for (int d = 0; d < dim; d++) {
        q[d] = random.nextInt(3) - 1;
      }
    }
    Path file = dir.resolve("v.f32");
    VectorFile.write(file, n, dim, i -> rows[i]);
    try (Arena arena = Arena.ofShared()) {
      VectorFile data = VectorFile.open(file, arena);
      assertArrayEquals(rows[n - 1], data.row(n - 1));
      int[][] found = ExactNeighbours.find(data, queries, 10, 2);
      for (int q = 0; q < queries.length; q++) {
        float[] query = queries[q];
        int[] expected =
            IntStream.range(0, n)
                .boxed()
                .sorted(
                    Comparator.<Integer>comparingDouble(i -> -dot(rows[i], query))
                        .thenComparingInt(i -> i))
                .limit(10)
                .mapToInt(Integer::intValue)
                .toArray();
        assertArrayEquals(expected, found[q], "query " + q);
      }
      assertEquals(1.0, Recall.at(found, found));
    }
  }

  private static double dot(float[] a, float[] b) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
