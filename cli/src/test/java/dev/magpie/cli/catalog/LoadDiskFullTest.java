package dev.magpie.cli.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.magpie.cli.MagpieMain;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.testing.ChildJvm;
import dev.magpie.engine.testing.LongMode;
import dev.magpie.engine.testing.Seeded;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code magpie load} whose writes the file system refuses part way: a real kernel error from a
 * real write, not an injected one. The child runs under a file size limit ({@code ulimit -f}), so
 * the first snapshot file to outgrow it gets EFBIG ("File too large"), as a full disk gives ENOSPC;
 * which file that is depends on the limit, drawn at random. The load must fail with exit code 2 and
 * one line naming the file it could not write (no stack trace), remove its staging directory, and
 * leave CURRENT on the previous version, which still opens with every checksum verified; the next
 * load publishes. Linux (bash's ulimit; the JVM ignores SIGXFSZ, so the write fails instead of the
 * process dying). Three limits per build; {@code -Plong} tries 20.
 */
@Seeded
class LoadDiskFullTest {
  /** The whole sample snapshot's largest file is under 880 KiB: a limit below it always bites. */
  private static final int MAX_LIMIT_KIB = 860;

  private static final Pattern NAMED_FILE =
      Pattern.compile("magpie load: writing (\\S+/\\.staging-v000002/\\S+): File too large");

  @TempDir Path tmp;

  @Test
  void aLoadWhoseWritesTheFileSystemRefusesLeavesThePreviousVersionLive(Random random)
      throws Exception {
    assumeTrue(ChildJvm.fileLimitSupported(), "needs Linux and bash for ulimit -f");
    Path store = tmp.resolve("store");
    String[] load = {
      "load", "--out", store.toString(), "--no-embed", "--progress", "none", "--show", "0"
    };
    assertEquals(0, MagpieMain.run(load));
    SnapshotStore s = SnapshotStore.open(store);
    int items;
    try (Snapshot first = s.openCurrent()) {
      items = first.items().size();
    }
    List<String> filesHit = new ArrayList<>();
    int trials = LongMode.count("load.full.trials", 3, 20);
    for (int trial = 1; trial <= trials; trial++) {
      // Log-uniform, so small files are hit as often as large ones.
      int limitKib =
          (int) Math.round(Math.exp(random.nextDouble(Math.log(4), Math.log(MAX_LIMIT_KIB))));
      Path output = tmp.resolve("child-" + trial + ".log");
      Process child =
          ChildJvm.start(
              ChildJvm.underFileLimit(limitKib, ChildJvm.command(MagpieMain.class, load)), output);
      assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the load ends by itself");
      String said = Files.readString(output);
      String when = "trial " + trial + " under a " + limitKib + " KiB file limit";
      assertEquals(2, child.exitValue(), when + ": " + said);
      Matcher named = NAMED_FILE.matcher(said);
      assertTrue(named.find(), when + ": the error names the file it could not write: " + said);
      assertFalse(said.contains("\tat "), when + ": one line, no stack trace: " + said);
      filesHit.add(store.relativize(Path.of(named.group(1))).toString() + " @" + limitKib + " KiB");

      assertEquals(
          List.of(".lock", "CURRENT", "v000001"), entries(store), when + ": staging removed");
      assertEquals(Optional.of("v000001"), s.currentVersion(), when);
      try (Snapshot current = Snapshot.open(store.resolve("v000001"))) { // verifies every checksum
        assertEquals(items, current.items().size(), when);
      }
    }
    assertEquals(0, MagpieMain.run(load), "with room again, the next load publishes");
    assertEquals(Optional.of("v000002"), s.currentVersion());
    try (Snapshot current = s.openCurrent()) {
      assertEquals(items, current.items().size());
    }
    System.out.println(
        "[load disk full] refused writes, each named, previous version live: " + filesHit);
  }

  /**
   * ONNX Runtime unpacks its native library into java.io.tmpdir before the first item is embedded:
   * where it cannot (full, read-only, gone), the load says so in one line and how to go without.
   */
  @Test
  void aLoadThatCannotUnpackTheModelsLibrarySaysWhatToCheck() throws Exception {
    Path store = tmp.resolve("store");
    List<String> command =
        ChildJvm.command(
            MagpieMain.class,
            "load",
            "--out",
            store.toString(),
            "--progress",
            "none",
            "--show",
            "0");
    command.add(1, "-Djava.io.tmpdir=" + tmp.resolve("no-such-dir"));
    Path output = tmp.resolve("child.log");
    Process child = ChildJvm.start(command, output);
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the load ends by itself");
    String said = Files.readString(output);
    assertEquals(1, child.exitValue(), said);
    assertTrue(
        said.contains(
            "magpie load: cannot load ONNX Runtime's native library, which is unpacked into "
                + "java.io.tmpdir ("
                + tmp.resolve("no-such-dir")
                + "): is it full or read-only?"),
        said);
    assertTrue(said.contains("--no-embed loads without vectors"), said);
    assertEquals(List.of(".lock"), entries(store), "nothing staged is left");
  }

  private static List<String> entries(Path store) throws IOException {
    try (Stream<Path> list = Files.list(store)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
