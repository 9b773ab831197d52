package dev.magpie.engine.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.TestSnapshots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntPredicate;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Seeded
class ExplorationPoolTest {
  private static final String[] CATEGORIES = {
    "Home > Kitchen > Knives",
    "Home > Kitchen > Pans",
    "Home > Garden",
    "Sports > Camping > Tents",
    "Sports",
    ""
  };

  @TempDir Path dir;

  /** The oracle: every allowed item with little history whose category is in a liked subtree. */
  private static IntHashSet eligible(
      ItemStore items, Snapshot s, IntHashSet liked, IntPredicate allowed) {
    IntHashSet out = new IntHashSet();
    for (int i = 0; i < items.size(); i++) {
      if (s.behaviour().stats().users(i) >= 3 || !allowed.test(i)) {
        continue;
      }
      boolean in = liked.isEmpty();
      for (int c = items.categoryOrdinal(i); c >= 0 && !in; c = items.categoryParent(c)) {
        in = liked.contains(c);
      }
      if (in) {
        out.add(i);
      }
    }
    return out;
  }

  @Test
  void picksOnlyLittleHistoryItemsInLikedSubtreesStablyAndReachesThemAll(Random random)
      throws IOException {
    List<Item> catalog = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      catalog.add(
          TestSnapshots.item(
              "i" + i,
              "item " + i,
              "",
              CATEGORIES[random.nextInt(CATEGORIES.length)],
              100,
              1,
              Map.of()));
    }
    Interactions.Builder log = new Interactions.Builder(catalog.size());
    for (int u = 0; u < 50; u++) {
      for (int e = 0; e < 8; e++) {
        log.add("u" + u, random.nextInt(60), EventType.VIEW, 1_700_000_000L + u * 100 + e, 1f);
      }
    }
    try (Snapshot s =
        TestSnapshots.build(dir.resolve("s"), catalog, Knowledge.EMPTY, log.build())) {
      ItemStore items = s.items();
      ExplorationPool pool = new ExplorationPool(items, s.behaviour(), 3);
      assertEquals(eligible(items, s, new IntHashSet(), i -> true).size(), pool.size());
      IntPredicate allowed = i -> i % 7 != 0;
      for (String liked :
          List.of("", "Home", "Home > Kitchen", "Sports > Camping > Tents", "Home > Garden")) {
        IntHashSet categories = new IntHashSet();
        if (!liked.isEmpty()) {
          categories.add(items.categoryOrdinalOf(liked));
        }
        IntHashSet oracle = eligible(items, s, categories, allowed);
        IntHashSet reached = new IntHashSet();
        for (long salt = 0; salt < 400; salt++) {
          int[] picked = pool.pick(categories, allowed, 5, salt);
          assertTrue(picked.length <= 5, liked);
          assertTrue(picked.length > 0 || oracle.isEmpty(), liked);
          for (int item : picked) {
            assertTrue(
                oracle.contains(item), liked + ": " + items.externalId(item) + " is not eligible");
          }
          assertArrayEquals(
              picked, pool.pick(categories, allowed, 5, salt), "the same shopper, the same picks");
          reached.addAll(picked);
        }
        assertEquals(oracle, reached, liked + ": shoppers together reach every eligible item");
      }
    }
  }
}
