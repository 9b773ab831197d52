package dev.magpie.loader.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotLayout;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.loader.MagpieMain;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load killed with SIGKILL while it is writing leaves CURRENT on the previous version, which still
 * opens and verifies; the next load removes the debris and publishes. The child process reads its
 * catalog from a pipe this test feeds, so it is provably mid-load when killed.
 */
class LoadCrashTest {
  @TempDir Path tmp;

  private static String line(int i) {
    return "{\"id\":\"item-" + i + "\",\"title\":\"Crash test item " + i
        + "\",\"price\":\"" + (i % 500) + ".99\",\"stock\":" + (i % 40) + ",\"description\":\""
        + "padding ".repeat(20) + "\"}\n";
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void killDuringLoadLeavesCurrentOnThePreviousVersion() throws Exception {
    Path store = tmp.resolve("store");
    Path first = tmp.resolve("first.jsonl");
    Files.writeString(first, line(1) + line(2) + line(3));
    assertEquals(0, MagpieMain.run("load", "--catalog", first.toString(), "--out", store.toString(),
        "--progress", "none", "--show", "0"));

    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), MagpieMain.class.getName(),
                "load", "--catalog", "-", "--format", "jsonl", "--out", store.toString(),
                "--progress", "none", "--show", "0")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("child.log").toFile())
            .start();
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
      assertEquals("Crash test item 2", snapshot.items().title(snapshot.items().ordinalOf("item-2")));
    }

    Path second = tmp.resolve("second.jsonl");
    Files.writeString(second, line(7) + line(8));
    assertEquals(0, MagpieMain.run("load", "--catalog", second.toString(), "--out", store.toString(),
        "--progress", "none", "--show", "0"));
    assertFalse(Files.exists(staging), "debris of the killed load is removed");
    assertEquals(Optional.of("v000002"), s.currentVersion());
  }

  private String log() {
    try {
      return Files.readString(tmp.resolve("child.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
