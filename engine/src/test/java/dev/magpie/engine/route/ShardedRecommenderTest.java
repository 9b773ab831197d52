package dev.magpie.engine.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.recommend.Channel;
import dev.magpie.engine.recommend.Diversity;
import dev.magpie.engine.recommend.RecommendRequest;
import dev.magpie.engine.recommend.RecommendResult;
import dev.magpie.engine.recommend.RecommendedItem;
import dev.magpie.engine.recommend.Recommender;
import dev.magpie.engine.recommend.UserProfiles;
import dev.magpie.engine.search.SearchFilters;
import dev.magpie.engine.snapshot.Snapshot;
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
 * Recommendations over a catalog split into shards equal one node's over it: the same items in the
 * same order, with the same scores (within 1e-5), reasons, channels and exploration picks, for 1, 2
 * and 4 shards, for shoppers with histories, carts, occasions, filters, exploration shares, similar
 * items and anonymous shoppers. One item in five has a vector, fewer than an exact scan rescores in
 * full precision ({@code VectorIndex} keeps the best 160 by int8 code), so that the vector channel
 * is exact on one node and on each shard and every channel must agree. The oracle is the single
 * node.
 */
@Seeded
class ShardedRecommenderTest {
  private static final String[] LEAVES = {
    "Sports > Camping > Tents",
    "Sports > Camping > Sleeping Bags",
    "Sports > Footwear > Running",
    "Sports > Footwear > Hiking",
    "Home > Kitchen > Knives",
    "Home > Kitchen > Pans",
    "Electronics > Phones > Smartphones",
    "Electronics > Phones > Cases",
    ""
  };
  private static final String[] BRANDS = {"Acme", "Borealis", "Cirrus", "Dune", "Ember", ""};
  private static final Knowledge KNOWLEDGE =
      new Knowledge(
          List.of(LEAVES[0], LEAVES[1], LEAVES[6], LEAVES[7]),
          List.of(
              new Knowledge.Relation(LEAVES[6], LEAVES[7], "complement", 0.9),
              new Knowledge.Relation(LEAVES[0], LEAVES[1], "complement", 0.7),
              new Knowledge.Relation(LEAVES[2], LEAVES[3], "substitute", 0.6),
              new Knowledge.Relation(LEAVES[4], LEAVES[5], "complement", 0.5)),
          List.of(new Knowledge.Occasion("camping trip", List.of(LEAVES[0], LEAVES[1]))),
          List.of(),
          List.of());

  @TempDir Path tmp;

  private static List<Item> catalog(Random random, int count) {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int leaf = random.nextInt(LEAVES.length);
      float[] vector = new float[8];
      for (int d = 0; d < vector.length; d++) {
        vector[d] = (float) random.nextGaussian() + (d == leaf % 8 ? 2f : 0f);
      }
      items.add(
          new Item(
              "it-" + i,
              "item " + i + " " + LEAVES[leaf],
              "",
              BRANDS[random.nextInt(BRANDS.length)],
              LEAVES[leaf],
              random.nextInt(8) == 0 ? Item.UNKNOWN_PRICE : 500 + random.nextInt(20_000),
              "USD",
              random.nextInt(6) == 0 ? 0 : 5,
              random.nextInt(3) == 0 ? Float.NaN : 1 + random.nextInt(9) / 2f,
              Map.of(),
              i % 5 == 0 ? vector : null));
    }
    return items;
  }

  /** Shoppers view, cart and buy within a few categories; a quarter of the items see nobody. */
  private static Interactions log(Random random, List<Item> items) {
    Interactions.Builder log = new Interactions.Builder(items.size());
    int seen = items.size() * 3 / 4;
    for (int u = 0; u < 150; u++) {
      long t = 1_700_000_000L + u * 5_000L;
      int focus = random.nextInt(seen);
      for (int e = 0, events = 2 + random.nextInt(14); e < events; e++) {
        int item =
            random.nextInt(3) == 0 ? random.nextInt(seen) : (focus + random.nextInt(40)) % seen;
        EventType type =
            switch (random.nextInt(6)) {
              case 0 -> EventType.BUY;
              case 1 -> EventType.CART;
              default -> EventType.VIEW;
            };
        log.add("u" + u, item, type, t + e * 600L, 1f);
      }
    }
    return log.build();
  }

  private static List<RecommendRequest> requests(Random random, List<Item> items) {
    List<RecommendRequest> out = new ArrayList<>();
    SearchFilters cheapInStock = new SearchFilters(List.of(), List.of(), -1, 8_000, true, Map.of());
    SearchFilters footwear =
        new SearchFilters(List.of("Footwear"), List.of(), -1, -1, false, Map.of());
    for (int r = 0; r < 120; r++) {
      String user = r % 5 == 4 ? null : r % 7 == 6 ? "stranger-" + r : "u" + random.nextInt(150);
      List<String> context =
          r % 3 == 0
              ? List.of(items.get(random.nextInt(items.size())).externalId())
              : r % 3 == 1 && user == null
                  ? List.of(
                      items.get(random.nextInt(items.size())).externalId(),
                      items.get(random.nextInt(items.size())).externalId())
                  : List.of();
      out.add(
          new RecommendRequest(
              user,
              context,
              r % 11 == 0 ? "camping trip" : r % 13 == 0 ? "no such occasion" : null,
              1 + random.nextInt(25),
              r % 4 == 1 ? cheapInStock : r % 9 == 2 ? footwear : SearchFilters.NONE,
              r % 6 == 0 ? Diversity.NONE : Diversity.DEFAULT,
              r % 5 * 0.1f));
    }
    return out;
  }

  @Test
  void shardedRecommendationsEqualOneNodes(Random random) throws IOException {
    List<Item> items = catalog(random, 700);
    Interactions log = log(random, items);
    List<RecommendRequest> requests = requests(random, items);
    RankingModel model = RankingModel.RECOMMEND_DEFAULT;
    try (Snapshot single = TestSnapshots.build(tmp.resolve("single"), items, KNOWLEDGE, log)) {
      Recommender oracle =
          new Recommender(single, new UserProfiles(single::items, single.userHistories()), model);
      int explored = 0;
      int behaviour = 0;
      for (int shards : new int[] {1, 2, 4}) {
        List<Snapshot> parts =
            TestSnapshots.buildShards(tmp.resolve("s" + shards), items, shards, KNOWLEDGE, log);
        try {
          ShardedRecommender sharded = new ShardedRecommender(parts, model);
          for (RecommendRequest request : requests) {
            RecommendResult expected = oracle.recommend(request);
            RecommendResult actual = sharded.recommend(request);
            assertSame(expected, actual, shards + " shards, " + request);
            for (RecommendedItem item : expected.items()) {
              explored += item.exploration() ? 1 : 0;
              behaviour += item.channels().contains(Channel.TOGETHER) ? 1 : 0;
            }
          }
          for (int i = 0; i < 60; i++) {
            String id = items.get(random.nextInt(items.size())).externalId();
            int k = 1 + random.nextInt(20);
            SearchFilters filter =
                i % 3 == 0
                    ? new SearchFilters(List.of(), List.of("Acme", "Dune"), -1, -1, false, Map.of())
                    : SearchFilters.NONE;
            assertSame(
                oracle.similarItems(id, k, filter),
                sharded.similarItems(id, k, filter),
                shards + " shards, similar to " + id);
          }
        } finally {
          for (Snapshot p : parts) {
            p.close();
          }
        }
      }
      assertTrue(explored > 0, "some requests explored");
      assertTrue(behaviour > 0, "some items came from behaviour");
    }
  }

  private static void assertSame(RecommendResult expected, RecommendResult actual, String what) {
    assertEquals(expected.notes(), actual.notes(), what + ": notes");
    assertEquals(
        expected.items().stream().map(RecommendedItem::id).toList(),
        actual.items().stream().map(RecommendedItem::id).toList(),
        what + ": ids");
    for (int i = 0; i < expected.items().size(); i++) {
      RecommendedItem e = expected.items().get(i);
      RecommendedItem a = actual.items().get(i);
      assertNotNull(a);
      assertEquals(e.score(), a.score(), 1e-5f, what + ": score of " + e.id());
      assertEquals(e.reasons(), a.reasons(), what + ": reasons of " + e.id());
      assertEquals(e.channels(), a.channels(), what + ": channels of " + e.id());
      assertEquals(e.exploration(), a.exploration(), what + ": exploration of " + e.id());
      assertEquals(e.sponsored(), a.sponsored(), what + ": sponsored " + e.id());
    }
  }
}
