package dev.magpie.cli.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.cli.MagpieMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line over a sharded catalog: {@code load --shards} writes a cluster directory that
 * {@code inspect} verifies shard by shard, refusing one whose shards do not belong together, and a
 * shard count that is not a power of two is a usage error.
 */
class ShardedCommandsTest {
  @TempDir Path tmp;

  private static String line(int i) {
    return "{\"id\":\"s-"
        + i
        + "\",\"title\":\"Sharded lamp "
        + i
        + "\",\"price\":\""
        + (i % 90)
        + ".99\"}\n";
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = MagpieMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  @Test
  void loadWritesShardsThatInspectVerifies() throws Exception {
    Path catalog = tmp.resolve("catalog.jsonl");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      lines.append(line(i));
    }
    Files.writeString(catalog, lines);
    Path cluster = tmp.resolve("cluster");
    Run load =
        run(
            "load",
            "--catalog",
            catalog.toString(),
            "--shards",
            "4",
            "--out",
            cluster.toString(),
            "--no-embed",
            "--progress",
            "none");
    assertEquals(0, load.code(), load.err());
    Run inspect = run("inspect", cluster.toString());
    assertEquals(0, inspect.code(), inspect.err());
    assertTrue(inspect.out().contains("4 shards of load"), inspect.out());
    assertTrue(inspect.out().contains("200 catalog items"), inspect.out());

    // A shard from another load does not belong: inspect says so.
    Files.writeString(catalog, lines.toString() + line(999));
    Path other = tmp.resolve("other");
    assertEquals(
        0,
        run(
                "load",
                "--catalog",
                catalog.toString(),
                "--shards",
                "4",
                "--out",
                other.toString(),
                "--no-embed",
                "--progress",
                "none")
            .code());
    deleteTree(cluster.resolve("shard-0002"));
    Files.move(other.resolve("shard-0002"), cluster.resolve("shard-0002"));
    Run mixed = run("inspect", cluster.toString());
    assertNotEquals(0, mixed.code());
    assertTrue(mixed.err().contains("must come from one load"), mixed.err());

    Run three =
        run(
            "load",
            "--catalog",
            catalog.toString(),
            "--shards",
            "3",
            "--out",
            tmp.resolve("x").toString());
    assertEquals(2, three.code());
    assertTrue(three.err().contains("power of two"), three.err());
  }

  private static void deleteTree(Path dir) throws Exception {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
