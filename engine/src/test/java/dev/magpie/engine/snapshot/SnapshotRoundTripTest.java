package dev.magpie.engine.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.testing.RandomItems;
import dev.magpie.engine.testing.Seeded;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Items written to a snapshot read back equal, field by field, through every accessor. */
@Seeded
class SnapshotRoundTripTest {
  @TempDir Path tmp;

  @Test
  void everyFieldOfEveryItemReadsBackEqual(Random random) throws IOException {
    for (int round = 0; round < 4; round++) {
      int count = round == 0 ? 0 : round == 1 ? 1 : random.nextInt(5000);
      int dimension = random.nextBoolean() ? 0 : 1 + random.nextInt(64);
      List<Item> items = RandomItems.items(random, count, dimension);
      SnapshotStore store = SnapshotStore.open(tmp.resolve("store" + round));
      try (StagedSnapshot staged = store.stage()) {
        try (SnapshotWriter writer = staged.writer(0)) {
          for (int i = 0; i < items.size(); i++) {
            assertEquals(i, writer.add(items.get(i)));
          }
          writer.finish(Map.of("source", "test"));
        }
        staged.publish();
      }
      try (Snapshot snapshot = store.openCurrent()) {
        ItemStore read = snapshot.items();
        assertEquals(items.size(), read.size());
        assertEquals(items.size(), snapshot.manifest().itemCount());
        boolean anyVector = items.stream().anyMatch(Item::hasVector);
        assertEquals(anyVector ? dimension : 0, read.vectorDimension());
        for (int i = 0; i < items.size(); i++) {
          Item expected = items.get(i);
          assertEquals(expected, read.item(i), "item " + i);
          assertEquals(i, read.ordinalOf(expected.externalId()));
          if (!expected.brand().isEmpty()) {
            assertEquals(expected.brand(), read.brandName(read.brandOrdinalOf(expected.brand())));
          }
          if (!expected.categoryPath().isEmpty()) {
            int c = read.categoryOrdinal(i);
            assertEquals(c, read.categoryOrdinalOf(expected.categoryPath()));
            String path = expected.categoryPath();
            int cut = path.lastIndexOf(Item.CATEGORY_SEPARATOR);
            int parent = read.categoryParent(c);
            assertEquals(cut < 0 ? -1 : read.categoryOrdinalOf(path.substring(0, cut)), parent);
          }
          if (!expected.hasVector()) {
            assertNull(read.vector(i));
          }
        }
        assertEquals(-1, read.ordinalOf("no-such-id-" + random.nextLong()));
      }
    }
  }

  /**
   * Opening maps files; it must not copy a column onto the heap. A snapshot of about 60 MB is
   * opened and the live heap, measured after a full GC, grows by far less than any one column.
   */
  @Test
  void openingCopiesNoColumnOntoTheHeap(Random random) throws IOException {
    int count = 200_000;
    int dimension = 64;
    SnapshotStore store = SnapshotStore.open(tmp.resolve("big"));
    float[] vector = new float[dimension];
    try (StagedSnapshot staged = store.stage()) {
      try (SnapshotWriter writer = staged.writer(dimension)) {
        for (int i = 0; i < count; i++) {
          vector[0] = i;
          writer.add(
              new Item(
                  "id-" + i,
                  "a product title of some length " + i,
                  "described " + i,
                  "b" + (i % 100),
                  "C" + (i % 7) + " > D" + (i % 3),
                  i,
                  "USD",
                  i % 50,
                  4f,
                  Map.of("k", "v" + i),
                  vector.clone()));
        }
        writer.finish(Map.of());
      }
      staged.publish();
    }
    long before = liveHeap();
    try (Snapshot snapshot = store.openCurrent()) {
      long after = liveHeap();
      long dataBytes = snapshot.manifest().totalBytes();
      assertEquals(count, snapshot.items().size());
      assertEquals(count - 1, (int) snapshot.items().vectors().getFloat(count - 1, 0));
      long grown = after - before;
      org.junit.jupiter.api.Assertions.assertTrue(
          grown < 4L << 20,
          "heap grew by " + grown + " bytes opening " + dataBytes + " bytes of snapshot");
    }
  }

  private static long liveHeap() {
    java.lang.management.MemoryMXBean memory =
        java.lang.management.ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  @Test
  void readsAfterCloseFailInsteadOfCrashing(Random random) throws IOException {
    SnapshotStore store = SnapshotStore.open(tmp.resolve("s"));
    try (StagedSnapshot staged = store.stage()) {
      try (SnapshotWriter writer = staged.writer(0)) {
        for (Item item : RandomItems.items(random, 10, 4)) {
          writer.add(item);
        }
        writer.finish(Map.of());
      }
      staged.publish();
    }
    Snapshot snapshot = store.openCurrent();
    ItemStore items = snapshot.items();
    snapshot.close();
    assertThrows(IllegalStateException.class, () -> items.title(0));
  }
}
