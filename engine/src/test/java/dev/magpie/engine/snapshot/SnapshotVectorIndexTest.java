package dev.magpie.engine.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.testing.RandomItems;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.TestSnapshots;
import dev.magpie.engine.vector.VectorIndex;
import dev.magpie.engine.vector.VectorResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Seeded
class SnapshotVectorIndexTest {
  @Test
  void snapshotWithVectorsSearchesThemAndOnlyThem(Random random, @TempDir Path dir)
      throws IOException {
    List<Item> items = RandomItems.items(random, 1_500, 24);
    try (Snapshot snapshot = TestSnapshots.build(dir, items)) {
      VectorIndex index = snapshot.vectors();
      assertNotNull(index, "vectors/ is built when items bring vectors");
      assertEquals(24, index.dim());
      assertEquals("COSINE", snapshot.manifest().build().get("vector.similarity"));
      assertEquals("16", snapshot.manifest().build().get("hnsw.m"));
      int checked = 0;
      for (int ordinal = 0; ordinal < items.size() && checked < 50; ordinal++) {
        if (!items.get(ordinal).hasVector()) {
          continue;
        }
        checked++;
        VectorResult result = index.search(items.get(ordinal).vector(), 10, 64, null);
        assertEquals(ordinal, result.ordinals()[0], "an item's own vector finds it first");
        assertEquals(1f, result.scores()[0], 1e-5f, "rescored with the full-precision vector");
        for (int hit : result.ordinals()) {
          assertTrue(items.get(hit).hasVector(), "item " + hit + " has no vector");
        }
      }
      BitSet few = new BitSet();
      for (int i = 0; i < items.size(); i += 97) {
        few.set(i);
      }
      VectorResult filtered =
          index.search(
              items.stream().filter(Item::hasVector).findFirst().orElseThrow().vector(),
              10,
              64,
              few);
      long expected = few.stream().filter(i -> items.get(i).hasVector()).count();
      assertEquals(Math.min(10, expected), filtered.size());
      assertTrue(filtered.exact(), "a filter accepting 16 items is answered exactly");
    }
  }

  @Test
  void snapshotWithoutVectorsHasNoIndex(Random random, @TempDir Path dir) throws IOException {
    try (Snapshot snapshot = TestSnapshots.build(dir, RandomItems.items(random, 50, 0))) {
      assertNull(snapshot.vectors());
    }
  }
}
