package dev.magpie.learn.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.testing.TestSnapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Warm-up queries are never the timed ones, and the same run to run. */
class WarmupQueriesTest {
  @TempDir Path dir;

  @Test
  void queriesFromTheCatalogSpreadOverItAndLeaveOutTimedOnes() throws IOException {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      items.add(
          TestSnapshots.item(
              "i" + i, "Brand" + i + " cordless drill kit " + i, "B", "Tools", 100, 1, Map.of()));
    }
    try (Snapshot snapshot = TestSnapshots.build(dir.resolve("s"), items)) {
      Set<String> timed = Set.of("brand10 cordless drill", "something else");
      List<String> warm = WarmupQueries.fromCatalog(snapshot.items(), 10, timed);
      assertEquals(9, warm.size(), warm.toString());
      assertEquals("Brand0 cordless drill", warm.getFirst());
      assertFalse(warm.contains("Brand10 cordless drill"), "a timed query, in another case");
      assertEquals(warm, WarmupQueries.fromCatalog(snapshot.items(), 10, timed));
      assertTrue(WarmupQueries.fromCatalog(snapshot.items(), 0, timed).isEmpty());
    }
  }

  @Test
  void queriesFromAFileLeaveOutTimedOnesAndNameABadLine() throws IOException {
    Path file = dir.resolve("train.tsv");
    Files.writeString(file, "1\tred hose\n2\tGarden Rake\n\n3\tlamp\n4\tdesk\n");
    assertEquals(
        List.of("red hose", "lamp"), WarmupQueries.fromFile(file, 2, Set.of("garden rake")));
    Files.writeString(file, "1\tred hose\n2\n");
    IOException bad =
        assertThrows(IOException.class, () -> WarmupQueries.fromFile(file, 5, Set.of()));
    assertEquals(file + ":2: expected an id, a tab and a query", bad.getMessage());
  }
}
