package dev.magpie.engine.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.engine.catalog.Item;
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
import dev.magpie.engine.testing.ShoppingCatalog;
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
  @TempDir Path tmp;

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
    List<Item> items = ShoppingCatalog.items(random, 700);
    Interactions log = ShoppingCatalog.log(random, items);
    List<RecommendRequest> requests = requests(random, items);
    RankingModel model = RankingModel.RECOMMEND_DEFAULT;
    try (Snapshot single =
        TestSnapshots.build(tmp.resolve("single"), items, ShoppingCatalog.KNOWLEDGE, log)) {
      Recommender oracle =
          new Recommender(single, new UserProfiles(single::items, single.userHistories()), model);
      int explored = 0;
      int behaviour = 0;
      for (int shards : new int[] {1, 2, 4}) {
        List<Snapshot> parts =
            TestSnapshots.buildShards(
                tmp.resolve("s" + shards), items, shards, ShoppingCatalog.KNOWLEDGE, log);
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
