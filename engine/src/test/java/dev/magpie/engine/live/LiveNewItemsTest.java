package dev.magpie.engine.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.TestSnapshots;
import dev.magpie.engine.vector.VectorIndex;
import dev.magpie.engine.vector.VectorResult;
import dev.magpie.engine.vector.VectorSimilarity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Items added live: found by id, text, filters and vector at once, with the snapshot's items. */
@Seeded
class LiveNewItemsTest {
  private static final int DIM = 8;

  @TempDir Path dir;

  private static float[] randomVector(Random random) {
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  private static Item item(
      String id,
      String title,
      String brand,
      String category,
      long price,
      int stock,
      float[] vector) {
    return new Item(
        id,
        title,
        "",
        brand,
        category,
        price,
        price < 0 ? "" : "USD",
        stock,
        Float.NaN,
        Map.of("colour", "green"),
        vector);
  }

  private static List<Item> catalog(Random random) {
    return List.of(
        item(
            "tent-1",
            "Trail tent for two",
            "Acme",
            "Outdoor > Tents",
            12_000,
            5,
            randomVector(random)),
        item(
            "tent-2",
            "Family tent for six",
            "Acme",
            "Outdoor > Tents",
            30_000,
            0,
            randomVector(random)),
        item("lamp-1", "Camping lamp", "Lumo", "Outdoor > Lights", 2_500, 9, randomVector(random)));
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::externalId).sorted().toList();
  }

  @Test
  void aNewItemIsFoundByIdTextAndFiltersOnceItsBatchIsPublished() throws IOException {
    Random random = new Random(7);
    try (Snapshot snapshot = TestSnapshots.build(dir.resolve("snap"), catalog(random))) {
      ItemStore items = snapshot.items();
      UserProfiles profiles = new UserProfiles(snapshot::items, null);
      LiveApplier live = new LiveApplier(snapshot, profiles);
      TextSearcher searcher = new TextSearcher(snapshot);
      Item added =
          item(
              "tent-3",
              "Ultralight tent for one",
              "Newco",
              "Outdoor > Tents",
              9_000,
              4,
              randomVector(random));
      LiveUpdate update = new LiveUpdate.NewItem(added);

      assertNull(live.check(update));
      assertTrue(live.apply(update));
      assertEquals(
          -1,
          snapshot.items().ordinalOf("tent-3"),
          "not found by id before the batch is published");
      assertEquals(3, snapshot.items().size());
      assertEquals(
          List.of(),
          ids(searcher.search(SearchRequest.of("ultralight", 10)).hits()),
          "not searchable by text before the batch is published");
      live.publish();
      assertEquals(3, snapshot.items().ordinalOf("tent-3"), "the ordinal after the snapshot's");
      assertEquals(4, snapshot.items().size());
      assertEquals(3, snapshot.items().snapshotSize());
      assertEquals(added, snapshot.items().item(3));
      assertEquals(
          List.of("tent-3"), ids(searcher.search(SearchRequest.of("ultralight", 10)).hits()));
      assertEquals(
          List.of("tent-1", "tent-2", "tent-3"),
          ids(searcher.search(SearchRequest.of("tent", 10)).hits()));

      SearchFilters newBrand =
          new SearchFilters(List.of(), List.of("Newco"), -1, -1, false, Map.of());
      assertEquals(
          List.of("tent-3"),
          ids(searcher.search(SearchRequest.of("tent", 10).withFilters(newBrand)).hits()),
          "a brand that came with the new item filters like any other");
      SearchFilters under100 =
          new SearchFilters(List.of("Outdoor"), List.of(), -1, 10_000, true, Map.of());
      assertEquals(
          List.of("tent-3"),
          ids(searcher.search(SearchRequest.of("tent", 10).withFilters(under100)).hits()));

      // Sale facts and events of an added item apply like those of any other.
      assertTrue(
          live.apply(
              new LiveUpdate.ItemChange(
                  "tent-3", 20_000, "", 0, LiveUpdate.Availability.UNCHANGED)));
      live.publish();
      assertEquals(
          List.of(),
          ids(searcher.search(SearchRequest.of("ultralight", 10).withFilters(under100)).hits()));
      assertTrue(live.apply(new LiveUpdate.Event("ann", "tent-3", EventType.BUY, 1_700_000_000L)));
      live.publish();
      assertEquals(3, profiles.profile("ann").recent()[0]);
      assertTrue(
          live.apply(
              new LiveUpdate.ItemChange(
                  "tent-3",
                  -1,
                  "",
                  LiveUpdate.ItemChange.KEEP_STOCK,
                  LiveUpdate.Availability.WITHDRAWN)));
      live.publish();
      assertEquals(List.of(), ids(searcher.search(SearchRequest.of("ultralight", 10)).hits()));
    }
  }

  @Test
  void aShardFindsItemsAddedToItWithTheCatalogsStatistics() throws IOException {
    Random random = new Random(13);
    List<Item> items = new ArrayList<>(catalog(random));
    for (int i = 0; i < 40; i++) {
      items.add(
          item("more-" + i, "Trail lamp number " + i, "Lumo", "Outdoor > Lights", 1_000, 1, null));
    }
    List<Snapshot> shards =
        TestSnapshots.buildShards(
            dir.resolve("cluster"),
            items.stream().map(it -> it.withVector(null)).toList(),
            2,
            dev.magpie.engine.knowledge.Knowledge.EMPTY);
    try (Snapshot shard = shards.get(0);
        Snapshot other = shards.get(1)) {
      LiveApplier live = new LiveApplier(shard, new UserProfiles(shard.items(), null));
      String id = "added-0";
      for (int i = 0; dev.magpie.engine.shard.ShardFunction.shardOf(id, 2) != 0; i++) {
        id = "added-" + i;
      }
      assertTrue(
          live.apply(
              new LiveUpdate.NewItem(
                  item(id, "Trail tent ultralight", "Acme", "Outdoor > Tents", 5_000, 2, null))));
      live.publish();
      TextSearcher searcher = new TextSearcher(shard);
      // The shard's reader nests the catalog-wide snapshot reader with the added items' segment:
      // term statistics above its own document count must not trip Lucene's checks (run with -ea).
      assertEquals(List.of(id), ids(searcher.search(SearchRequest.of("ultralight", 10)).hits()));
      assertTrue(ids(searcher.search(SearchRequest.of("trail", 50)).hits()).contains(id));
      assertTrue(other.items().size() > 0);
    }
  }

  @Test
  void whatCannotBeAddedIsRefusedNamingTheField() throws IOException {
    Random random = new Random(11);
    try (Snapshot snapshot = TestSnapshots.build(dir.resolve("snap"), catalog(random))) {
      LiveApplier live = new LiveApplier(snapshot, new UserProfiles(snapshot.items(), null));
      assertEquals(
          "item_id: item 'tent-1' is already in the catalog (only new items carry details)",
          live.check(new LiveUpdate.NewItem(item("tent-1", "Again", "", "", -1, -1, null))));
      assertTrue(
          live.check(new LiveUpdate.NewItem(item("x", "X", "", "Garden", -1, -1, null)))
              .startsWith("category: 'Garden' is not a category of this catalog"));
      assertEquals(
          "currency: 'EUR' is not a currency of this catalog [USD]",
          live.check(
              new LiveUpdate.NewItem(
                  new Item("x", "X", "", "", "", 100, "EUR", -1, Float.NaN, Map.of(), null))));
      assertEquals(
          "vector: 3 dimensions, the catalog's have 8",
          live.check(new LiveUpdate.NewItem(item("x", "X", "", "", -1, -1, new float[3]))));
      LiveUpdate zero = new LiveUpdate.NewItem(item("x", "X", "", "", -1, -1, new float[DIM]));
      assertTrue(live.check(zero).startsWith("vector: a zero vector"), live.check(zero));
      assertFalse(live.apply(zero), "a replayed update that no longer fits is skipped");
      assertEquals(-1, snapshot.items().ordinalOf("x"));
      assertNull(
          live.check(new LiveUpdate.NewItem(item("x", "X", "", "", -1, -1, null))),
          "no vector, category or price is needed");
    }
  }

  /**
   * Vector search over the snapshot's graph and the added items against brute force over all of
   * them.
   */
  @Test
  void vectorSearchFindsAddedItemsAsBruteForceDoes(Random random) throws IOException {
    List<Item> base = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      base.add(
          item(
              "base-" + i,
              "Base item " + i,
              "Acme",
              "Outdoor > Tents",
              1_000 + i,
              i % 3,
              randomVector(random)));
    }
    try (Snapshot snapshot = TestSnapshots.build(dir.resolve("snap"), base)) {
      ItemStore items = snapshot.items();
      LiveApplier live = new LiveApplier(snapshot, new UserProfiles(items, null));
      VectorIndex index = snapshot.vectors();
      for (int i = 0; i < 40; i++) {
        boolean withVector = random.nextInt(5) != 0;
        Item added =
            item(
                "new-" + i,
                "New item " + i,
                "Newco",
                "Outdoor > Tents",
                2_000 + i,
                i % 3,
                withVector ? randomVector(random) : null);
        assertTrue(live.apply(new LiveUpdate.NewItem(added)));
        live.publish();
      }
      live.publish();
      for (int q = 0; q < 20; q++) {
        float[] query = randomVector(random);
        int k = 1 + random.nextInt(10);
        boolean filtered = random.nextBoolean();
        VectorResult found =
            filtered
                ? index.searchFiltered(
                    query, k, VectorIndex.MAX_EF, o -> snapshot.items().stock(o) > 0)
                : index.search(query, k, VectorIndex.MAX_EF, null);
        int[] expected = bruteForce(snapshot.items(), query, k, filtered);
        assertArrayEquals(expected, found.ordinals(), "query " + q + ", k " + k);
        float[] exact = index.similarities(query, found.ordinals());
        for (int i = 0; i < exact.length; i++) {
          assertEquals(exact[i], found.scores()[i], 1e-4f);
        }
      }
    }
  }

  private static int[] bruteForce(ItemStore items, float[] query, int k, boolean inStockOnly) {
    float[] q = VectorSimilarity.COSINE.prepare(query);
    return IntStream.range(0, items.size())
        .filter(o -> items.hasVector(o) && (!inStockOnly || items.stock(o) > 0))
        .boxed()
        .sorted(
            Comparator.comparingDouble(
                o -> -VectorSimilarity.dot(q, VectorSimilarity.COSINE.prepare(items.vector(o)))))
        .limit(k)
        .mapToInt(Integer::intValue)
        .toArray();
  }

  @Test
  void replacedViewsAreRetiredOnceWithoutDisturbingSearches() throws IOException {
    Random random = new Random(3);
    try (Snapshot snapshot = TestSnapshots.build(dir.resolve("snap"), catalog(random))) {
      LiveApplier live = new LiveApplier(snapshot, new UserProfiles(snapshot.items(), null));
      TextSearcher searcher = new TextSearcher(snapshot);
      for (int batch = 0; batch < 30; batch++) {
        for (int i = 0; i < 7; i++) {
          live.apply(
              new LiveUpdate.NewItem(
                  item(
                      "n-" + batch + "-" + i,
                      "Gadget model" + batch + "x" + i,
                      "",
                      "Outdoor > Lights",
                      -1,
                      -1,
                      null)));
        }
        live.publish();
        assertEquals(
            List.of("n-" + batch + "-3"),
            ids(searcher.search(SearchRequest.of("model" + batch + "x3", 10)).hits()));
      }
      assertEquals(
          30,
          snapshot.views().retiredCount(),
          "each view a publish replaced is retired once its last reader is done (none held one)");
      assertEquals(210, searcher.search(SearchRequest.of("gadget", 1000)).hits().size());
      for (SearchHit hit : searcher.search(SearchRequest.of("gadget", 1000)).hits()) {
        assertEquals(
            hit.externalId(), snapshot.items().externalId(hit.ordinal()), "document id = ordinal");
      }
    }
  }
}
