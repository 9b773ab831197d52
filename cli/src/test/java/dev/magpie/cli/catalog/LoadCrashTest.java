package dev.magpie.cli.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.cli.MagpieMain;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotLayout;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.testing.ChildJvm;
import dev.magpie.engine.testing.LongMode;
import dev.magpie.engine.testing.Seeded;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load killed with SIGKILL while it is writing leaves CURRENT on the previous version, which
 * still opens and verifies; the next load removes the debris and publishes. The first test's child
 * reads its catalog from a pipe this test feeds, so it is provably mid-load when killed; the second
 * kills loads at random moments from start to finish (reading, writing, verifying, publishing,
 * pruning).
 */
@Seeded
class LoadCrashTest {
  @TempDir Path tmp;

  private static String line(int i) {
    return "{\"id\":\"item-"
        + i
        + "\",\"title\":\"Crash test item "
        + i
        + "\",\"price\":\""
        + (i % 500)
        + ".99\",\"stock\":"
        + (i % 40)
        + ",\"description\":\""
        + "padding ".repeat(20)
        + "\"}\n";
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void killDuringLoadLeavesCurrentOnThePreviousVersion() throws Exception {
    Path store = tmp.resolve("store");
    Path first = tmp.resolve("first.jsonl");
    Files.writeString(first, line(1) + line(2) + line(3));
    assertEquals(
        0,
        MagpieMain.run(
            "load",
            "--catalog",
            first.toString(),
            "--out",
            store.toString(),
            "--progress",
            "none",
            "--show",
            "0"));

    // Its standard input is a pipe this test feeds.
    Process child =
        ChildJvm.start(
            ChildJvm.command(
                MagpieMain.class,
                "load",
                "--catalog",
                "-",
                "--format",
                "jsonl",
                "--out",
                store.toString(),
                "--progress",
                "none",
                "--show",
                "0",
                "--no-embed"),
            tmp.resolve("child.log"));
    Path staging = store.resolve(SnapshotLayout.STAGING_PREFIX + "v000002");
    try (OutputStream in = child.getOutputStream()) {
      int i = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      // Feed rows until the child has flushed column data into its staging directory.
      while (!(Files.exists(staging.resolve(SnapshotLayout.DESCRIPTIONS))
          && Files.size(staging.resolve(SnapshotLayout.DESCRIPTIONS)) > (1 << 20))) {
        assertTrue(child.isAlive(), () -> "child exited early: " + log());
        assertTrue(System.nanoTime() < deadline, "child never wrote its staging files");
        StringBuilder batch = new StringBuilder();
        for (int j = 0; j < 2000; j++) {
          batch.append(line(i++));
        }
        in.write(batch.toString().getBytes(StandardCharsets.UTF_8));
        in.flush();
      }
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      assertTrue(child.exitValue() != 0, "killed, not finished");
    } catch (IOException brokenPipe) {
      // The child died while we wrote: still a crash mid-load.
    }

    SnapshotStore s = SnapshotStore.open(store);
    assertEquals(Optional.of("v000001"), s.currentVersion());
    assertEquals(List.of(1), s.versions());
    try (Snapshot snapshot = s.openCurrent()) {
      assertEquals(3, snapshot.items().size());
      assertEquals(
          "Crash test item 2", snapshot.items().title(snapshot.items().ordinalOf("item-2")));
    }

    Path second = tmp.resolve("second.jsonl");
    Files.writeString(second, line(7) + line(8));
    assertEquals(
        0,
        MagpieMain.run(
            "load",
            "--catalog",
            second.toString(),
            "--out",
            store.toString(),
            "--progress",
            "none",
            "--show",
            "0"));
    assertFalse(Files.exists(staging), "debris of the killed load is removed");
    assertEquals(Optional.of("v000002"), s.currentVersion());
  }

  /**
   * Loads killed with SIGKILL at random moments: after each kill CURRENT names either the version
   * live before or the new one, complete; every version directory opens with all checksums
   * verified; no debris other than the killed load's own is left, and the next load removes that.
   * Four trials per build; {@code -Plong} runs 50 ({@code -Dmagpie.load.crash.trials=N} any
   * number).
   */
  @Test
  void loadsKilledAtRandomMomentsLeaveAVerifiedCurrentVersion(Random random) throws Exception {
    int trials = LongMode.count("load.crash.trials", 4, 50);
    Path store = tmp.resolve("store");
    Map<String, Integer> itemsByVersion = new HashMap<>();
    // An uninterrupted child load first: it publishes, and says how long a whole load takes.
    long started = System.nanoTime();
    Process whole = childLoad(store, catalog(ROWS), tmp.resolve("child-0.log"));
    assertTrue(whole.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, whole.exitValue(), () -> log("child-0.log"));
    long wholeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    SnapshotStore s = SnapshotStore.open(store);
    itemsByVersion.put(s.currentVersion().orElseThrow(), ROWS);
    int finished = 0;
    int published = 0;
    for (int trial = 1; trial <= trials; trial++) {
      String before = s.currentVersion().orElseThrow();
      int rows = ROWS + trial; // each version's item count names the load that wrote it
      String childLog = "child-" + trial + ".log";
      Process child = childLoad(store, catalog(rows), tmp.resolve(childLog));
      long delay = random.nextLong(wholeMillis + wholeMillis / 2);
      boolean exited = child.waitFor(delay, TimeUnit.MILLISECONDS);
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      String when =
          "trial " + trial + ", killed after " + delay + " ms of a " + wholeMillis + " ms load";
      String current = s.currentVersion().orElseThrow();
      if (!current.equals(before)) {
        assertEquals(null, itemsByVersion.put(current, rows), when + ": a new version number");
        published++;
      }
      if (exited) {
        finished++;
        assertEquals(0, child.exitValue(), () -> log(childLog));
      }
      try (Snapshot snapshot = s.openCurrent()) {
        assertEquals(
            itemsByVersion.get(current),
            snapshot.items().size(),
            when + ": " + current + "'s items");
      }
      for (int version : s.versions()) {
        String name = SnapshotLayout.versionName(version);
        try (Snapshot snapshot = Snapshot.open(store.resolve(name))) {
          assertEquals(
              itemsByVersion.get(name), snapshot.items().size(), when + ": " + name + "'s items");
        }
      }
      assertTrue(
          debris(store).size() <= 1, when + ": debris of one load at most, found " + debris(store));
    }
    Path last = catalog(7);
    assertEquals(
        0,
        MagpieMain.run(
            "load",
            "--catalog",
            last.toString(),
            "--out",
            store.toString(),
            "--progress",
            "none",
            "--show",
            "0"));
    assertEquals(List.of(), debris(store), "the next load removes what killed ones left");
    try (Snapshot snapshot = s.openCurrent()) {
      assertEquals(7, snapshot.items().size());
    }
    System.out.printf(
        "[load crash torture] %d SIGKILLs over %d ms loads (%d after publishing, %d after the load "
            + "had ended): CURRENT always named a verified version%n",
        trials, wholeMillis, published, finished);
  }

  private static final int ROWS = 20_000;

  /** A catalog of {@code rows} rows. */
  private Path catalog(int rows) throws IOException {
    Path file = tmp.resolve("catalog-" + rows + ".jsonl");
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      text.append(line(i));
    }
    Files.writeString(file, text);
    return file;
  }

  /** Starts {@code magpie load} of {@code catalog} into {@code store} in a process of its own. */
  private static Process childLoad(Path store, Path catalog, Path output) throws IOException {
    return ChildJvm.start(
        ChildJvm.command(
            MagpieMain.class,
            "load",
            "--catalog",
            catalog.toString(),
            "--out",
            store.toString(),
            "--progress",
            "none",
            "--show",
            "0",
            "--no-embed"),
        output);
  }

  /** Entries of the store that are neither a version, CURRENT, its lock nor the log. */
  private static List<String> debris(Path store) throws IOException {
    try (Stream<Path> entries = Files.list(store)) {
      return entries
          .map(p -> p.getFileName().toString())
          .filter(
              n ->
                  SnapshotLayout.versionNumber(n) < 0
                      && !n.equals(SnapshotLayout.CURRENT)
                      && !n.equals(SnapshotLayout.LOCK)
                      && !n.equals(SnapshotLayout.WAL))
          .sorted()
          .toList();
    }
  }

  private String log(String name) {
    try {
      return Files.readString(tmp.resolve(name));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private String log() {
    try {
      return Files.readString(tmp.resolve("child.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
