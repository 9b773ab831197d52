package dev.magpie.bench.ann;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.cli.MagpieMain;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.testing.RandomItems;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.TestSnapshots;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** magpie bench vectors and bench ann end to end on a small random snapshot. */
@Seeded
class AnnBenchCommandTest {
  @TempDir Path tmp;

  private int run(String... args) {
    CommandLine cli = MagpieMain.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    System.err.print(err);
    return exit;
  }

  @Test
  void perturbedSetThenRecallOfEveryIndexAgainstTheSameTruth(Random random) throws Exception {
    List<Item> items = RandomItems.items(random, 1_200, 64);
    long withVector = items.stream().filter(Item::hasVector).count();
    Path store = tmp.resolve("store");
    Snapshot built = TestSnapshots.build(store, items);
    built.close();
    Path set = tmp.resolve("set.f32");
    assertEquals(
        0,
        run(
            "bench",
            "vectors",
            "--snapshot",
            store.toString(),
            "--count",
            "3000",
            "--noise",
            "0.5",
            "--out",
            set.toString()));
    try (Arena arena = Arena.ofConfined()) {
      VectorFile file = VectorFile.open(set, arena);
      assertEquals(3000, file.count());
      assertEquals(64, file.dim());
      float[] row = file.row(2999);
      double norm = 0;
      for (float x : row) {
        norm += x * x;
      }
      assertEquals(1.0, norm, 1e-5, "perturbed rows are renormalised");
    }
    Path again = tmp.resolve("again.f32");
    assertEquals(
        0,
        run(
            "bench",
            "vectors",
            "--snapshot",
            store.toString(),
            "--count",
            "3000",
            "--noise",
            "0.5",
            "--out",
            again.toString()));
    assertTrue(Files.mismatch(set, again) < 0, "the same seed writes the same file");
    assertEquals(
        2,
        run(
            "bench",
            "vectors",
            "--snapshot",
            store.toString(),
            "--count",
            "3000",
            "--out",
            tmp.resolve("x.f32").toString()),
        "more rows than vectors need noise");

    Path out = tmp.resolve("out");
    assertEquals(
        0,
        run(
            "bench",
            "ann",
            "--vectors",
            set.toString(),
            "--out",
            out.toString(),
            "--query-count",
            "60",
            "--ef",
            "10,80"));
    List<String> csv = Files.readAllLines(out.resolve("ann.csv"), StandardCharsets.UTF_8);
    assertEquals("impl,ef,recall,qps", csv.get(0));
    // brute force, then magpie, magpie-codes, magpie-floats, magpie-int8, magpie-bits,
    // hnswlib-core and lucene-hnsw at two ef.
    assertEquals(1 + 1 + 2 * 7, csv.size(), String.join("\n", csv));
    for (String impl :
        List.of(
            "magpie",
            "magpie-codes",
            "magpie-floats",
            "magpie-int8",
            "hnswlib-core",
            "lucene-hnsw")) {
      String[] atEf80 =
          csv.stream()
              .filter(l -> l.startsWith(impl + ",80,"))
              .findFirst()
              .orElseThrow()
              .split(",");
      assertTrue(Double.parseDouble(atEf80[2]) >= 0.9, impl + " recall at ef 80: " + atEf80[2]);
    }
    assertEquals(
        recallAt(csv, "magpie-floats", 80),
        recallAt(csv, "magpie", 80),
        "the floats read from disk rank as the floats mapped");
    assertTrue(Files.size(out.resolve("ann.png")) > 1000);
    assertTrue(Files.exists(out.resolve("truth.i32")) && Files.exists(out.resolve("queries.f32")));

    Path fromSnapshot = tmp.resolve("snap-out");
    assertEquals(
        0,
        run(
            "bench",
            "ann",
            "--snapshot",
            store.toString(),
            "--out",
            fromSnapshot.toString(),
            "--query-count",
            "20",
            "--ef",
            "40",
            "--skip-hnswlib"));
    try (Arena arena = Arena.ofConfined()) {
      assertEquals(withVector, VectorFile.open(fromSnapshot.resolve("vectors.f32"), arena).count());
    }
  }

  private static String recallAt(List<String> csv, String impl, int ef) {
    return csv.stream()
        .filter(l -> l.startsWith(impl + "," + ef + ","))
        .findFirst()
        .orElseThrow()
        .split(",")[2];
  }
}
