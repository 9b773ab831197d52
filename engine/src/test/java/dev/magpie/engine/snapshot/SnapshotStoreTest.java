package dev.magpie.engine.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.io.FileOps;
import dev.magpie.engine.testing.Corruption;
import dev.magpie.engine.testing.FaultyFileOps;
import dev.magpie.engine.testing.RandomItems;
import dev.magpie.engine.testing.Seeded;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishing: a damaged or failed build is refused and CURRENT keeps naming the previous version,
 * which stays openable.
 */
@Seeded
class SnapshotStoreTest {
  @TempDir Path tmp;

  private static void fill(StagedSnapshot staged, List<Item> items) throws IOException {
    try (SnapshotWriter writer = staged.writer(0)) {
      for (Item item : items) {
        writer.add(item);
      }
      writer.finish(Map.of("source", "test"));
    }
  }

  private SnapshotStore storeWithOneVersion(Random random, FileOps ops) throws IOException {
    return storeWithOneVersion(random, ops, "store");
  }

  private SnapshotStore storeWithOneVersion(Random random, FileOps ops, String name)
      throws IOException {
    SnapshotStore store = SnapshotStore.open(tmp.resolve(name), ops);
    try (StagedSnapshot staged = store.stage()) {
      fill(staged, RandomItems.items(random, 50, 8));
      staged.publish();
    }
    assertEquals(Optional.of("v000001"), store.currentVersion());
    return store;
  }

  private static void assertStillServesV1(SnapshotStore store) throws IOException {
    assertEquals(Optional.of("v000001"), store.currentVersion());
    try (Snapshot s = store.openCurrent()) {
      assertEquals(50, s.items().size());
      assertEquals(1, s.manifest().version());
    }
  }

  @Test
  void publishesVersionsInOrder(Random random) throws IOException {
    SnapshotStore store = storeWithOneVersion(random, FileOps.DEFAULT);
    try (StagedSnapshot staged = store.stage()) {
      assertEquals(2, staged.version());
      fill(staged, RandomItems.items(random, 7, 0));
      staged.publish();
    }
    assertEquals(Optional.of("v000002"), store.currentVersion());
    assertEquals(List.of(1, 2), store.versions());
    try (Snapshot s = store.openCurrent()) {
      assertEquals(7, s.items().size());
    }
    assertEquals(0, store.prune(2));
    assertEquals(1, store.prune(1));
    assertEquals(List.of(2), store.versions());
  }

  @Test
  void refusesAFlippedByteAndKeepsThePreviousVersion(Random random) throws IOException {
    SnapshotStore store = storeWithOneVersion(random, FileOps.DEFAULT);
    try (StagedSnapshot staged = store.stage()) {
      fill(staged, RandomItems.items(random, 80, 8));
      Path victim = staged.dir().resolve(SnapshotLayout.TITLES);
      long size = Files.size(victim);
      Corruption.flipBit(victim, 64 + random.nextInt((int) size - 64 - 8), 0);
      CorruptFileException e = assertThrows(CorruptFileException.class, staged::publish);
      assertTrue(
          e.getMessage().contains("titles.str") && e.getMessage().contains("checksum mismatch"),
          e.getMessage());
    }
    assertStillServesV1(store);
    assertFalse(Files.exists(store.root().resolve("v000002")));
  }

  @Test
  void refusesATruncatedFileAndKeepsThePreviousVersion(Random random) throws IOException {
    SnapshotStore store = storeWithOneVersion(random, FileOps.DEFAULT);
    try (StagedSnapshot staged = store.stage()) {
      fill(staged, RandomItems.items(random, 80, 8));
      Path victim = staged.dir().resolve(SnapshotLayout.PRICE);
      Corruption.truncate(victim, Files.size(victim) - 1 - random.nextInt(100));
      CorruptFileException e = assertThrows(CorruptFileException.class, staged::publish);
      assertTrue(
          e.getMessage().contains("price.i64") && e.getMessage().contains("the manifest says"),
          e.getMessage());
    }
    assertStillServesV1(store);
  }

  @Test
  void refusesAVersionWithNoManifestAndKeepsThePreviousVersion(Random random) throws IOException {
    SnapshotStore store = storeWithOneVersion(random, FileOps.DEFAULT);
    try (StagedSnapshot staged = store.stage()) {
      fill(staged, RandomItems.items(random, 80, 8));
      Files.delete(staged.dir().resolve(SnapshotLayout.MANIFEST));
      IncompleteSnapshotException e =
          assertThrows(IncompleteSnapshotException.class, staged::publish);
      assertTrue(e.getMessage().contains("no manifest.json"), e.getMessage());
    }
    assertStillServesV1(store);
  }

  @Test
  void refusesADamagedManifest(Random random) throws IOException {
    SnapshotStore store = storeWithOneVersion(random, FileOps.DEFAULT);
    Path manifest = store.currentDir().resolve(SnapshotLayout.MANIFEST);
    String text = Files.readString(manifest);
    Files.writeString(manifest, text.replaceFirst("\"itemCount\" : 50", "\"itemCount\" : 51"));
    CorruptFileException e = assertThrows(CorruptFileException.class, store::openCurrent);
    assertTrue(e.getMessage().contains("manifest.json: checksum mismatch"), e.getMessage());
  }

  @Test
  void refusesADamagedCurrentPointer(Random random) throws IOException {
    SnapshotStore store = storeWithOneVersion(random, FileOps.DEFAULT);
    try (StagedSnapshot staged = store.stage()) {
      fill(staged, RandomItems.items(random, 5, 0));
      staged.publish();
    }
    Path current = store.root().resolve(SnapshotLayout.CURRENT);
    String text = Files.readString(current);
    assertTrue(text.startsWith("magpie-current/1 v000002 crc32c:"), text);
    Files.writeString(current, text.replace("v000002", "v000001"));
    CorruptFileException e = assertThrows(CorruptFileException.class, store::currentVersion);
    assertTrue(e.getMessage().contains("CURRENT: checksum mismatch"), e.getMessage());
    Files.writeString(current, "v000001\n");
    e = assertThrows(CorruptFileException.class, store::openCurrent);
    assertTrue(e.getMessage().contains("not a snapshot pointer"), e.getMessage());
  }

  /**
   * Every durable step of finishing and publishing a version fails in turn (the fsyncs of its
   * directories and manifest, its rename into place, the fsync of CURRENT's replacement and its
   * rename, the store directory's fsyncs): the load gets the error; CURRENT names a complete
   * version that opens with every checksum verified: the previous one, or the new one when only the
   * fsync after renaming CURRENT failed; every version directory verifies; the next load publishes.
   */
  @Test
  void aDiskFaultAtAnyStepOfFinishingOrPublishingLeavesAVerifiedVersionLive(Random random)
      throws IOException {
    FaultyFileOps counter = new FaultyFileOps();
    SnapshotStore counted = storeWithOneVersion(random, counter, "counted");
    counter.failOperation(Integer.MAX_VALUE);
    publishTen(counted, random);
    int steps = counter.operations();
    assertTrue(steps >= 10, "finishing and publishing take " + steps + " durable steps");
    for (int step = 0; step < steps; step++) {
      FaultyFileOps ops = new FaultyFileOps();
      SnapshotStore store = storeWithOneVersion(random, ops, "step-" + step);
      ops.failOperation(step);
      IOException e =
          assertThrows(IOException.class, () -> publishTen(store, random), "step " + step);
      assertTrue(e.getMessage().startsWith("injected: "), e.getMessage());
      assertEquals(1, ops.faultsCaused(), "step " + step);
      ops.disarm();
      String current = store.currentVersion().orElseThrow();
      if (step < steps - 1) {
        assertEquals("v000001", current, "step " + step + " failed: " + e.getMessage());
      }
      try (Snapshot s = store.openCurrent()) {
        assertEquals(current.equals("v000001") ? 50 : 10, s.items().size());
      }
      for (int version : store.versions()) {
        Snapshot.open(store.root().resolve(SnapshotLayout.versionName(version))).close();
      }
      int next = store.versions().getLast() + 1;
      publishTen(store, random);
      assertEquals(
          Optional.of(SnapshotLayout.versionName(next)), store.currentVersion(), "step " + step);
    }
  }

  private static void publishTen(SnapshotStore store, Random random) throws IOException {
    try (StagedSnapshot staged = store.stage()) {
      fill(staged, RandomItems.items(random, 10, 0));
      staged.publish();
    }
  }

  @Test
  void onlyOneStagingAtATimeAndStaleStagingIsCleaned(Random random) throws IOException {
    SnapshotStore store = storeWithOneVersion(random, FileOps.DEFAULT);
    Path leftover = store.root().resolve(SnapshotLayout.STAGING_PREFIX + "v000009");
    Files.createDirectories(leftover.resolve("items"));
    try (StagedSnapshot staged = store.stage()) {
      assertFalse(Files.exists(leftover));
      IOException e = assertThrows(IOException.class, store::stage);
      assertTrue(e.getMessage().contains("another load is publishing"), e.getMessage());
      assertTrue(Files.isDirectory(staged.dir()));
    }
    try (StagedSnapshot again = store.stage()) {
      assertEquals(2, again.version());
    }
  }

  @Test
  void resolvesStoresAndVersionDirectories(Random random) throws IOException {
    SnapshotStore store = storeWithOneVersion(random, FileOps.DEFAULT);
    Path v1 = store.root().resolve("v000001");
    assertEquals(v1, SnapshotStore.resolveVersionDir(store.root()));
    assertEquals(v1, SnapshotStore.resolveVersionDir(v1));
    assertThrows(IOException.class, () -> SnapshotStore.resolveVersionDir(tmp.resolve("nothing")));
    IncompleteSnapshotException e =
        assertThrows(
            IncompleteSnapshotException.class,
            () -> SnapshotStore.open(tmp.resolve("empty")).openCurrent());
    assertTrue(e.getMessage().contains("no snapshot published yet"), e.getMessage());
  }
}
