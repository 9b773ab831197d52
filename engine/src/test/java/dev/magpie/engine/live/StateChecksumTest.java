package dev.magpie.engine.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.recommend.UserProfiles;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.TestSnapshots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas of one snapshot that applied the same updates have one checksum; one different sale
 * fact, added item or event on either shows; the order in which shoppers' events interleave does
 * not count, each shopper's own order does.
 */
@Seeded
class StateChecksumTest {
  @TempDir Path dir;

  /** A replica: the store opened again, with its own live state. */
  private record Replica(Snapshot snapshot, UserProfiles profiles, LiveApplier live) {
    long checksum() {
      return StateChecksum.of(snapshot.items(), profiles);
    }
  }

  private Replica open(Path store) throws IOException {
    Snapshot s = SnapshotStore.open(store).openCurrent();
    UserProfiles profiles = new UserProfiles(s::items, s.userHistories());
    return new Replica(s, profiles, new LiveApplier(s, profiles));
  }

  private static void apply(Replica r, List<LiveUpdate> updates) {
    for (LiveUpdate u : updates) {
      assertTrue(r.live().apply(u), u.toString());
    }
    r.live().publish();
  }

  @Test
  void replicasThatAppliedTheSameUpdatesAgreeAndAnyDifferenceShows(Random random)
      throws IOException {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      items.add(TestSnapshots.item("c-" + i, "cup " + i, "Brew", "Home", 700 + i, 4, Map.of()));
    }
    Path store = dir.resolve("store");
    TestSnapshots.build(store, items).close();
    List<LiveUpdate> updates = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String id = "c-" + random.nextInt(50);
      updates.add(
          random.nextBoolean()
              ? new LiveUpdate.ItemChange(
                  id,
                  random.nextInt(5_000),
                  "",
                  random.nextInt(9),
                  LiveUpdate.Availability.UNCHANGED)
              : new LiveUpdate.Event(
                  "u" + random.nextInt(5), id, EventType.VIEW, 1_700_000_000L + i));
    }
    updates.add(
        new LiveUpdate.NewItem(
            TestSnapshots.item("c-new", "tall cup", "Brew", "Home", 999, 2, Map.of())));
    Replica a = open(store);
    Replica b = open(store);
    try {
      long before = a.checksum();
      assertEquals(before, b.checksum());
      apply(a, updates);
      apply(b, updates);
      assertEquals(a.checksum(), b.checksum());
      assertNotEquals(before, a.checksum());

      // Another shopper's event in between changes nothing of either shopper's own order.
      apply(a, List.of(new LiveUpdate.Event("x", "c-1", EventType.BUY, 1L)));
      apply(a, List.of(new LiveUpdate.Event("y", "c-2", EventType.BUY, 2L)));
      apply(b, List.of(new LiveUpdate.Event("y", "c-2", EventType.BUY, 2L)));
      apply(b, List.of(new LiveUpdate.Event("x", "c-1", EventType.BUY, 1L)));
      assertEquals(a.checksum(), b.checksum());

      long agreed = a.checksum();
      apply(
          a,
          List.of(new LiveUpdate.ItemChange("c-3", 1, "", 1, LiveUpdate.Availability.UNCHANGED)));
      assertNotEquals(agreed, a.checksum(), "a price and stock");
      apply(
          b,
          List.of(new LiveUpdate.ItemChange("c-3", 1, "", 1, LiveUpdate.Availability.UNCHANGED)));
      assertEquals(a.checksum(), b.checksum());
      apply(a, List.of(new LiveUpdate.Event("x", "c-4", EventType.VIEW, 3L)));
      assertNotEquals(b.checksum(), a.checksum(), "an event");
      apply(b, List.of(new LiveUpdate.Event("x", "c-4", EventType.CART, 3L)));
      assertNotEquals(b.checksum(), a.checksum(), "an event of another type");
    } finally {
      a.snapshot().close();
      b.snapshot().close();
    }
  }
}
