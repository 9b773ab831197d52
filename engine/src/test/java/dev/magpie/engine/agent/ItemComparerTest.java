package dev.magpie.engine.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.recommend.UserProfiles;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.testing.TestSnapshots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemComparerTest {
  @TempDir Path dir;

  private static final List<Item> ITEMS =
      List.of(
          TestSnapshots.item(
              "k1",
              "Chef knife 8 in",
              "Forge",
              "Kitchen > Knives",
              4_000,
              3,
              Map.of("steel", "carbon")),
          TestSnapshots.item(
              "k2",
              "Chef knife 8 in",
              "Blade",
              "Kitchen > Knives",
              6_000,
              3,
              Map.of("steel", "stainless", "handle", "wood")),
          TestSnapshots.item(
              "k3", "Paring knife", "Forge", "Kitchen > Knives", 1_000, 3, Map.of()));

  private Snapshot snapshot() throws IOException {
    Interactions.Builder log = new Interactions.Builder(ITEMS.size());
    for (int u = 0; u < 6; u++) {
      log.add("cook" + u, 1, EventType.BUY, 1_700_000_000L + u, 4f);
    }
    log.add("fan", 0, EventType.BUY, 1_700_000_100L, 4f);
    log.add("fan", 2, EventType.BUY, 1_700_000_200L, 4f);
    return TestSnapshots.build(dir.resolve("s"), ITEMS, Knowledge.EMPTY, log.build());
  }

  @Test
  void rowsAlignEveryAttributeAndSuitsFollowTheData() throws IOException {
    try (Snapshot snapshot = snapshot()) {
      ItemComparer comparer =
          new ItemComparer(snapshot, new UserProfiles(snapshot.items(), snapshot.userHistories()));
      Comparison c = comparer.compare(List.of("k1", "k2"), null);
      Comparison.Row steel =
          c.rows().stream().filter(r -> r.name().equals("steel")).findFirst().orElseThrow();
      assertEquals(List.of("carbon", "stainless"), steel.values());
      Comparison.Row handle =
          c.rows().stream().filter(r -> r.name().equals("handle")).findFirst().orElseThrow();
      assertEquals(
          List.of("-", "wood"), handle.values(), "an attribute only one item has is still aligned");
      Comparison.Row category =
          c.rows().stream().filter(r -> r.name().equals("category")).findFirst().orElseThrow();
      assertFalse(category.differs());
      assertTrue(c.suits().get(0).getFirst().startsWith("the budget-minded"), c.suits().toString());
      assertTrue(
          c.suits().get(1).contains("a safe choice: bought most often here (6 purchases)"),
          c.suits().toString());
      assertTrue(
          c.differences()
              .contains("'Chef knife 8 in' is bought 6.0x as often as the least bought here"),
          c.differences().toString());

      Comparison forFan = comparer.compare(List.of("k1", "k2"), "fan");
      assertTrue(
          forFan.suits().get(0).contains("you: a brand you often choose (Forge)"),
          forFan.suits().toString());
      assertFalse(forFan.suits().get(1).stream().anyMatch(s -> s.startsWith("you: a brand")));
    }
  }

  @Test
  void badRequestsNameTheField() throws IOException {
    try (Snapshot snapshot = snapshot()) {
      ItemComparer comparer = new ItemComparer(snapshot, null);
      assertEquals(
          "ids[1]: 'k1' is listed twice",
          assertThrows(
                  IllegalArgumentException.class, () -> comparer.compare(List.of("k1", "k1"), null))
              .getMessage());
      assertEquals(
          "ids: give 2 to 10 items to compare, got 1",
          assertThrows(IllegalArgumentException.class, () -> comparer.compare(List.of("k1"), null))
              .getMessage());
    }
  }
}
