package dev.magpie.engine.behaviour;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Seeded
class BehaviourFileTest {
  @TempDir Path dir;

  private static BehaviourModel randomModel(Random random, int items) {
    Interactions.Builder b = new Interactions.Builder(items);
    for (int e = 0; e < 50 + random.nextInt(500); e++) {
      b.add(
          "u" + random.nextInt(20),
          random.nextInt(items),
          EventType.values()[random.nextInt(4)],
          random.nextInt(100_000),
          1f + random.nextInt(3));
    }
    return new BehaviourModelBuilder(
            new BehaviourParameters(
                1 + random.nextInt(8),
                random.nextDouble(),
                1 + random.nextInt(20),
                50_000,
                1,
                10_000))
        .build(b.build());
  }

  private Path publish(List<Item> items, BehaviourModel model) throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    try (StagedSnapshot staged = store.stage()) {
      try (SnapshotWriter writer = staged.writer(0)) {
        for (Item item : items) {
          writer.add(item);
        }
        if (model != null) {
          writer.behaviour(model);
        }
        writer.finish(Map.of("source", "test"));
      }
      staged.publish();
    }
    return store.currentDir();
  }

  private static List<Item> items(int n) {
    List<Item> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(TestSnapshots.item("i" + i, "item " + i, "", "", -1, -1, Map.of()));
    }
    return out;
  }

  @Test
  void aSnapshotKeepsEveryStatisticAndEdge(Random random) throws IOException {
    int n = 1 + random.nextInt(60);
    BehaviourModel built = randomModel(random, n);
    try (Snapshot snapshot = Snapshot.open(publish(items(n), built))) {
      BehaviourModel read = snapshot.behaviour();
      assertEquals(built.parameters(), read.parameters());
      assertEquals(built.latest(), read.latest());
      for (int i = 0; i < n; i++) {
        assertEquals(built.stats().views(i), read.stats().views(i));
        assertEquals(built.stats().favs(i), read.stats().favs(i));
        assertEquals(built.stats().carts(i), read.stats().carts(i));
        assertEquals(built.stats().buys(i), read.stats().buys(i));
        assertEquals(built.stats().ratings(i), read.stats().ratings(i));
        assertEquals(built.stats().users(i), read.stats().users(i));
        assertEquals(built.stats().popularity(i), read.stats().popularity(i));
        assertEquals(built.stats().conversion(i), read.stats().conversion(i));
        assertEquals(built.stats().ageDays(i), read.stats().ageDays(i));
        for (ItemRelations[] pair :
            new ItemRelations[][] {
              {built.together(), read.together()}, {built.complements(), read.complements()}
            }) {
          assertArrayEquals(pair[0].neighboursOf(i), pair[1].neighboursOf(i));
          assertArrayEquals(pair[0].weightsOf(i), pair[1].weightsOf(i));
        }
      }
      assertEquals(
          String.valueOf(built.together().edges()),
          snapshot.manifest().counts().get("togetherEdges").toString());
    }
  }

  @Test
  void aSnapshotWithoutEventsHasNoModel() throws IOException {
    try (Snapshot snapshot = Snapshot.open(publish(items(3), null))) {
      assertNull(snapshot.behaviour());
    }
  }

  @Test
  void aModelForOtherItemsIsRefusedAtBuildAndAFlippedBitAtOpen(Random random) throws IOException {
    assertThrows(IllegalStateException.class, () -> publish(items(5), randomModel(random, 6)));
    Path version = publish(items(8), randomModel(random, 8));
    Path file = version.resolve(BehaviourFile.PATH);
    Corruption.flipBit(
        file, 64 + random.nextInt((int) Files.size(file) - 64 - 48), random.nextInt(8));
    CorruptFileException e = assertThrows(CorruptFileException.class, () -> Snapshot.open(version));
    assertTrue(e.getMessage().contains("model.bin"), e.getMessage());
  }
}
