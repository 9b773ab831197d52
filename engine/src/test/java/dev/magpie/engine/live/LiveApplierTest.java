package dev.magpie.engine.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.recommend.UserProfiles;
import dev.magpie.engine.search.SearchFilters;
import dev.magpie.engine.search.SearchHit;
import dev.magpie.engine.search.SearchRequest;
import dev.magpie.engine.search.TextSearcher;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.testing.TestSnapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveApplierTest {
  @TempDir Path dir;

  private static List<Item> catalog() {
    return List.of(
        TestSnapshots.item(
            "tent-1", "Trail tent for two", "Acme", "Outdoor > Tents", 12_000, 5, Map.of()),
        TestSnapshots.item(
            "tent-2", "Family tent for six", "Acme", "Outdoor > Tents", 30_000, 0, Map.of()),
        TestSnapshots.item("lamp-1", "Camping lamp", "Lumo", "Outdoor > Lights", -1, -1, Map.of()));
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::externalId).toList();
  }

  @Test
  void changesPublishedWithTheirBatchAreSeenBySearchWhileTheFilesStayAsWritten()
      throws IOException {
    Path snapshotDir;
    byte[] priceFile;
    try (Snapshot snapshot = TestSnapshots.build(dir.resolve("snap"), catalog())) {
      snapshotDir = snapshot.dir();
      priceFile = Files.readAllBytes(snapshotDir.resolve("items/price.i64"));
      ItemStore items = snapshot.items();
      LiveApplier live = new LiveApplier(snapshot, new UserProfiles(items, null));
      TextSearcher searcher = new TextSearcher(snapshot);
      SearchFilters under200 = new SearchFilters(List.of(), List.of(), -1, 20_000, false, Map.of());
      SearchFilters inStock = new SearchFilters(List.of(), List.of(), -1, -1, true, Map.of());
      assertEquals(
          List.of("tent-1"),
          ids(searcher.search(SearchRequest.of("tent", 10).withFilters(under200)).hits()));

      assertTrue(
          live.apply(
              new LiveUpdate.ItemChange(
                  "tent-2", 15_000, "", 3, LiveUpdate.Availability.UNCHANGED)));

      live.publish();
      assertEquals(15_000, snapshot.items().priceMinor(snapshot.items().ordinalOf("tent-2")));
      assertEquals("USD", snapshot.items().currency(snapshot.items().ordinalOf("tent-2")));
      assertEquals(
          List.of("tent-1", "tent-2"),
          ids(searcher.search(SearchRequest.of("tent", 10).withFilters(under200)).hits()).stream()
              .sorted()
              .toList());

      assertTrue(
          live.apply(
              new LiveUpdate.ItemChange(
                  "tent-1",
                  -1,
                  "",
                  LiveUpdate.ItemChange.KEEP_STOCK,
                  LiveUpdate.Availability.WITHDRAWN)));

      live.publish();
      assertEquals(
          12_000,
          snapshot.items().priceMinor(snapshot.items().ordinalOf("tent-1")),
          "the price was kept");
      assertEquals(1, snapshot.items().withdrawnCount());
      assertEquals(
          List.of("tent-2"),
          ids(searcher.search(SearchRequest.of("tent", 10)).hits()),
          "withdrawn items are not found, with no filter asked for");
      live.apply(new LiveUpdate.ItemChange("tent-2", -1, "", 0, LiveUpdate.Availability.UNCHANGED));
      live.publish();
      assertEquals(
          List.of(),
          ids(searcher.search(SearchRequest.of("tent", 10).withFilters(inStock)).hits()));

      assertTrue(
          live.apply(
              new LiveUpdate.ItemChange(
                  "tent-1",
                  -1,
                  "",
                  LiveUpdate.ItemChange.KEEP_STOCK,
                  LiveUpdate.Availability.AVAILABLE)));

      live.publish();
      assertEquals(0, snapshot.items().withdrawnCount());
      assertTrue(ids(searcher.search(SearchRequest.of("tent", 10)).hits()).contains("tent-1"));
    }
    assertTrue(
        java.util.Arrays.equals(
            priceFile, Files.readAllBytes(snapshotDir.resolve("items/price.i64"))),
        "the column file is never written");
    try (Snapshot reopened = Snapshot.open(snapshotDir)) {
      assertEquals(30_000, reopened.items().priceMinor(reopened.items().ordinalOf("tent-2")));
    }
  }

  @Test
  void checkNamesTheFieldAndApplyRefusesWhatNoLongerFits() throws IOException {
    try (Snapshot snapshot = TestSnapshots.build(dir.resolve("snap"), catalog())) {
      ItemStore items = snapshot.items();
      UserProfiles profiles = new UserProfiles(snapshot::items, null);
      LiveApplier live = new LiveApplier(snapshot, profiles);
      LiveUpdate gone =
          new LiveUpdate.ItemChange("nope", 100, "", -1, LiveUpdate.Availability.UNCHANGED);
      assertEquals("item_id: no item 'nope' in the catalog", live.check(gone));
      assertFalse(live.apply(gone));
      LiveUpdate euro =
          new LiveUpdate.ItemChange("tent-1", 100, "EUR", -1, LiveUpdate.Availability.UNCHANGED);
      assertEquals("currency: 'EUR' is not a currency of this catalog [USD]", live.check(euro));
      LiveUpdate noCurrency =
          new LiveUpdate.ItemChange("lamp-1", 999, "", -1, LiveUpdate.Availability.UNCHANGED);
      assertTrue(
          live.check(noCurrency).startsWith("currency: item 'lamp-1' has no price yet"),
          live.check(noCurrency));
      LiveUpdate priced =
          new LiveUpdate.ItemChange("lamp-1", 999, "USD", -1, LiveUpdate.Availability.UNCHANGED);
      assertNull(live.check(priced));
      assertTrue(live.apply(priced));
      live.publish();
      assertEquals(999, snapshot.items().priceMinor(snapshot.items().ordinalOf("lamp-1")));

      assertEquals(0, profiles.profile("ann").recent().length);
      assertTrue(live.apply(new LiveUpdate.Event("ann", "lamp-1", EventType.CART, 1_700_000_000L)));
      live.publish();
      assertEquals(
          snapshot.items().ordinalOf("lamp-1"),
          profiles.profile("ann").recent()[0],
          "an event shapes the shopper's profile at once");
    }
  }
}
