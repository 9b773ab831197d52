package dev.magpie.engine.behaviour;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.snapshot.SnapshotWriter;
import dev.magpie.engine.snapshot.StagedSnapshot;
import dev.magpie.engine.testing.Corruption;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.TestSnapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Seeded
class UserHistoriesTest {
  @TempDir Path dir;

  private Path publish(int items, Interactions log, int limit) throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    try (StagedSnapshot staged = store.stage()) {
      try (SnapshotWriter writer = staged.writer(0)) {
        for (int i = 0; i < items; i++) {
          Item item = TestSnapshots.item("i" + i, "item " + i, "", "", -1, -1, Map.of());
          writer.add(item);
        }
        if (log != null) {
          writer.userHistories(log, limit);
        }
        writer.finish(Map.of("source", "test"));
      }
      staged.publish();
    }
    return store.currentDir();
  }

  private static Interactions randomLog(Random random, int items) {
    Interactions.Builder b = new Interactions.Builder(items);
    for (int e = 0; e < random.nextInt(400); e++) {
      b.add(
          "user-" + random.nextInt(30),
          random.nextInt(items),
          EventType.values()[random.nextInt(5)],
          1_700_000_000L + random.nextInt(100_000),
          1f);
    }
    return b.build();
  }

  @Test
  void keepsEachUsersLatestEventsInOrder(Random random) throws IOException {
    int items = 1 + random.nextInt(50);
    int limit = 1 + random.nextInt(20);
    Interactions log = randomLog(random, items);
    try (Snapshot snapshot = Snapshot.open(publish(items, log, limit))) {
      UserHistories read = snapshot.userHistories();
      assertEquals(log.users(), read.users());
      for (int u = 0; u < log.users(); u++) {
        int r = read.ordinalOf(log.userId(u));
        assertEquals(u, r);
        assertEquals(log.userId(u), read.userId(r));
        int kept = Math.min(limit, log.end(u) - log.start(u));
        assertEquals(kept, read.end(r) - read.start(r), "events kept for " + log.userId(u));
        for (int i = 0; i < kept; i++) {
          int e = log.end(u) - kept + i;
          int h = read.start(r) + i;
          assertEquals(log.item(e), read.item(h));
          assertEquals(log.time(e), read.time(h));
          assertEquals(log.type(e), read.type(h));
        }
      }
      assertEquals(-1, read.ordinalOf("nobody"));
      assertEquals(log.users(), snapshot.manifest().counts().get("users"));
    }
  }

  @Test
  void aSnapshotWithoutEventsHasNoHistories() throws IOException {
    try (Snapshot snapshot = Snapshot.open(publish(3, null, 1))) {
      assertNull(snapshot.userHistories());
    }
  }

  @Test
  void aFlippedBitIsCaught(Random random) throws IOException {
    Interactions.Builder b = new Interactions.Builder(5);
    for (int e = 0; e < 200; e++) {
      b.add("u" + (e % 7), e % 5, EventType.VIEW, 1_000 + e, 1f);
    }
    Path version = publish(5, b.build(), 10);
    Path file = version.resolve(UserHistories.PATH);
    Corruption.flipBit(
        file, 64 + random.nextInt((int) Files.size(file) - 64 - 48), random.nextInt(8));
    assertThrows(CorruptFileException.class, () -> Snapshot.open(version).close());
  }

  @Test
  void aLogOverOtherItemsIsRefused() {
    Interactions log = new Interactions.Builder(9).add("u", 8, EventType.BUY, 1, 1f).build();
    assertThrows(IllegalStateException.class, () -> publish(3, log, 5));
  }
}
