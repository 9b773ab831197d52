package dev.magpie.engine.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.engine.behaviour.PopularityRanking;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.search.SearchFilters;
import dev.magpie.engine.search.SearchHit;
import dev.magpie.engine.search.SearchRequest;
import dev.magpie.engine.search.TextSearcher;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.store.FixedWidthColumn;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.TestSnapshots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Seeded
class RecommenderTest {
  private static final String PHONES = "Electronics > Phones > Smartphones";
  private static final String CASES = "Electronics > Phones > Phone Cases";
  private static final String TENTS = "Sports > Camping > Tents";
  private static final String BAGS = "Sports > Camping > Sleeping Bags";
  private static final String[] BRANDS = {"Acme", "Borealis", "Cirrus", "Dune"};
  private static final Knowledge KNOWLEDGE =
      new Knowledge(
          List.of(PHONES, CASES, TENTS, BAGS),
          List.of(new Knowledge.Relation(PHONES, CASES, "complement", 0.9)),
          List.of(new Knowledge.Occasion("camping trip", List.of(TENTS, BAGS))),
          List.of(),
          List.of());

  @TempDir Path dir;

  /** 8 phones, 8 cases, 8 tents, 8 bags; brands rotate; prices rise within each category. */
  private static List<Item> catalog(boolean sponsoredAtRandom, Random random) {
    List<Item> items = new ArrayList<>();
    String[] categories = {PHONES, CASES, TENTS, BAGS};
    String[] nouns = {"smartphone", "phone case", "tent", "sleeping bag"};
    for (int c = 0; c < categories.length; c++) {
      for (int i = 0; i < 8; i++) {
        Item item =
            TestSnapshots.item(
                nouns[c].replace(' ', '-') + i,
                BRANDS[i % 4] + " " + nouns[c] + " " + i,
                BRANDS[i % 4],
                categories[c],
                1_000L * (c + 1) * (i + 1),
                10,
                Map.of());
        items.add(sponsoredAtRandom && random.nextBoolean() ? item.withSponsored(true) : item);
      }
    }
    return items;
  }

  /**
   * Shoppers buy phone i, then case i a day later; campers view tents and bags; tent 7 and bag 7
   * are seen by nobody (no history).
   */
  private static Interactions log(Random random, int items) {
    Interactions.Builder log = new Interactions.Builder(items);
    for (int u = 0; u < 60; u++) {
      int i = random.nextInt(8);
      long t = 1_700_000_000L + u * 1000L;
      log.add("buyer" + u, i, EventType.VIEW, t, 1f);
      log.add("buyer" + u, i, EventType.BUY, t + 10, 4f);
      log.add("buyer" + u, 8 + i, EventType.BUY, t + 86_400, 4f);
    }
    for (int u = 0; u < 40; u++) {
      long t = 1_700_100_000L + u * 1000L;
      for (int j = 0; j < 3; j++) {
        log.add("camper" + u, 16 + random.nextInt(7), EventType.VIEW, t + j, 1f);
        log.add("camper" + u, 24 + random.nextInt(7), EventType.VIEW, t + 10 + j, 1f);
      }
    }
    return log.build();
  }

  private Snapshot snapshot(String name, boolean sponsored, long seed) throws IOException {
    Random random = new Random(seed);
    List<Item> items = catalog(sponsored, new Random(seed * 31 + 1));
    return TestSnapshots.build(dir.resolve(name), items, KNOWLEDGE, log(random, items.size()));
  }

  private static Recommender recommender(Snapshot s) {
    return new Recommender(
        s, new UserProfiles(s.items(), s.userHistories()), RankingModel.RECOMMEND_DEFAULT);
  }

  @Test
  void thePopularityRankingIsStoredWithTheSnapshotAndEqualsRankingAgain(Random random)
      throws IOException {
    try (Snapshot s = snapshot("ranked", false, random.nextLong())) {
      FixedWidthColumn stored = s.popularityRanking();
      assertNotNull(stored, "written beside the behaviour model");
      int n = s.items().snapshotSize();
      int[] again =
          PopularityRanking.order(
              n, i -> s.behaviour().stats().popularity(i), i -> s.items().rating(i));
      int[] mapped = new int[n];
      for (int r = 0; r < n; r++) {
        mapped[r] = stored.getInt(r);
      }
      assertArrayEquals(again, mapped);
      assertArrayEquals(again, PopularityOrder.of(s).byPopularity());
      for (int r = 1; r < n; r++) {
        assertTrue(
            s.behaviour().stats().popularity(again[r - 1])
                >= s.behaviour().stats().popularity(again[r]),
            "most popular first, at rank " + r);
      }
    }
  }

  @Test
  void aPhoneInTheCartBringsCasesFirstWithQuotableReasons(Random random) throws IOException {
    try (Snapshot s = snapshot("s", false, random.nextLong())) {
      RecommendResult result =
          recommender(s).recommend(RecommendRequest.forContext(List.of("smartphone3"), 5));
      assertEquals(5, result.items().size());
      RecommendedItem first = result.items().get(0);
      assertEquals(CASES, s.items().categoryPath(first.ordinal()), result.toString());
      assertTrue(first.channels().contains(Channel.KNOWLEDGE), first.toString());
      assertTrue(
          first.reasons().stream()
              .anyMatch(
                  r ->
                      r.startsWith("complements 'Dune smartphone 3' in the cart")
                          || r.startsWith("goes with Smartphones ('Dune smartphone 3')")),
          first.reasons().toString());
      for (RecommendedItem item : result.items()) {
        assertFalse(item.id().equals("smartphone3"), "the context item itself is not recommended");
        float sum = (float) item.parts().values().stream().mapToDouble(Float::doubleValue).sum();
        assertEquals(item.score(), sum, 1e-4, "score is the sum of its parts: " + item);
        assertFalse(item.reasons().isEmpty(), item.toString());
      }
    }
  }

  /**
   * The training view is the ranking's own: without diversity or exploration, its best by score is
   * the list.
   */
  @Test
  void candidatesAreWhatRecommendRanks(Random random) throws IOException {
    try (Snapshot s = snapshot("s", false, random.nextLong())) {
      Recommender r = recommender(s);
      for (String user : List.of("buyer3", "camper7", "nobody")) {
        RecommendRequest request =
            new RecommendRequest(user, List.of(), null, 5, SearchFilters.NONE, Diversity.NONE, 0f);
        Recommender.CandidateFeatures c = r.candidates(request);
        Integer[] order = new Integer[c.ordinals().length];
        for (int i = 0; i < order.length; i++) {
          order[i] = i;
        }
        Arrays.sort(
            order,
            (a, b) ->
                Float.compare(
                    RankingModel.RECOMMEND_DEFAULT.score(c.features()[b]),
                    RankingModel.RECOMMEND_DEFAULT.score(c.features()[a])));
        List<RecommendedItem> items = r.recommend(request).items();
        assertEquals(Math.min(5, order.length), items.size(), user);
        for (int i = 0; i < items.size(); i++) {
          assertEquals(
              RankingModel.RECOMMEND_DEFAULT.score(c.features()[order[i]]),
              items.get(i).score(),
              1e-6,
              user + " #" + i);
        }
      }
    }
  }

  @Test
  void unknownContextItemsAndBadSizesNameTheFieldAndValue(Random random) throws IOException {
    try (Snapshot s = snapshot("s", false, random.nextLong())) {
      Recommender r = recommender(s);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> r.recommend(RecommendRequest.forContext(List.of("smartphone1", "nope"), 5)));
      assertEquals("context[1]: no item 'nope' in the catalog", e.getMessage());
      assertEquals(
          "k: must be from 1 to 200, got 0",
          assertThrows(IllegalArgumentException.class, () -> RecommendRequest.forUser("x", 0))
              .getMessage());
      assertEquals(
          "item: no item 'gone' in the catalog",
          assertThrows(IllegalArgumentException.class, () -> r.similarItems("gone", 3, null))
              .getMessage());
    }
  }

  @Test
  void aRecordedEventShapesTheNextRecommendation(Random random) throws IOException {
    try (Snapshot s = snapshot("s", false, random.nextLong())) {
      Recommender r = recommender(s);
      UserProfile before = r.profiles().profile("newcomer");
      assertTrue(before.isEmpty());
      r.profiles().record("newcomer", s.items().ordinalOf("tent2"), EventType.VIEW);
      r.profiles().record("newcomer", s.items().ordinalOf("sleeping-bag1"), EventType.CART);
      UserProfile after = r.profiles().profile("newcomer");
      assertEquals(2, after.events());
      assertEquals(s.items().ordinalOf("sleeping-bag1"), after.recent()[0], "newest first");
      RecommendResult result = r.recommend(RecommendRequest.forUser("newcomer", 6));
      for (RecommendedItem item : result.items()) {
        assertTrue(
            s.items().categoryPath(item.ordinal()).startsWith("Sports > Camping"), item.toString());
        assertFalse(
            item.id().equals("tent2") || item.id().equals("sleeping-bag1"),
            "seen items are not repeated");
      }
    }
  }

  @Test
  void everyItemPassesTheFilters(Random random) throws IOException {
    try (Snapshot s = snapshot("s", false, random.nextLong())) {
      Recommender r = recommender(s);
      ItemStore items = s.items();
      for (int round = 0; round < 30; round++) {
        long max = 1_000L * (1 + random.nextInt(32));
        List<String> brands = random.nextBoolean() ? List.of() : List.of(BRANDS[random.nextInt(4)]);
        SearchFilters filters = new SearchFilters(List.of(), brands, -1, max, false, Map.of());
        String user =
            random.nextBoolean() ? "buyer" + random.nextInt(60) : "camper" + random.nextInt(40);
        RecommendResult result =
            r.recommend(
                new RecommendRequest(user, List.of(), null, 8, filters, Diversity.DEFAULT, 0.1f));
        int passing = 0;
        for (int i = 0; i < items.size(); i++) {
          passing +=
              items.priceMinor(i) <= max
                      && (brands.isEmpty() || items.brand(i).equals(brands.get(0)))
                  ? 1
                  : 0;
        }
        assertTrue(result.items().size() <= passing);
        for (RecommendedItem item : result.items()) {
          assertTrue(items.priceMinor(item.ordinal()) <= max, item + " under " + max);
          assertTrue(
              brands.isEmpty() || items.brand(item.ordinal()).equals(brands.get(0)),
              item + " " + brands);
        }
      }
    }
  }

  @Test
  void brandCapsSpreadTheList(Random random) throws IOException {
    try (Snapshot s = snapshot("s", false, random.nextLong())) {
      Recommender r = recommender(s);
      RecommendResult result =
          r.recommend(
              new RecommendRequest(
                  null,
                  List.of("tent0"),
                  null,
                  8,
                  SearchFilters.NONE,
                  new Diversity(1f, 0.25f, 1f),
                  0f));
      Map<String, Long> perBrand = new java.util.HashMap<>();
      result.items().forEach(i -> perBrand.merge(s.items().brand(i.ordinal()), 1L, Long::sum));
      assertEquals(8, result.items().size());
      perBrand.forEach(
          (brand, n) -> assertTrue(n <= 2, brand + " has " + n + " of 8: " + perBrand));
    }
  }

  @Test
  void theExplorationShareGoesToAnItemWithLittleHistory(Random random) throws IOException {
    try (Snapshot s = snapshot("s", false, random.nextLong())) {
      Recommender r = recommender(s);
      RecommendResult result =
          r.recommend(
              new RecommendRequest(
                  "camper3", List.of(), null, 10, SearchFilters.NONE, Diversity.DEFAULT, 0.1f));
      RecommendedItem last = result.items().get(result.items().size() - 1);
      assertTrue(last.exploration(), result.toString());
      assertTrue(
          s.behaviour().stats().users(last.ordinal()) < Recommender.EXPLORATION_MAX_USERS,
          last.toString());
      assertTrue(last.reasons().get(0).startsWith("new here"), last.reasons().toString());
      assertEquals(1, result.items().stream().filter(RecommendedItem::exploration).count());
    }
  }

  @Test
  void anOccasionBringsItsCategories(Random random) throws IOException {
    try (Snapshot s = snapshot("s", false, random.nextLong())) {
      RecommendResult result =
          recommender(s)
              .recommend(
                  new RecommendRequest(
                      null,
                      List.of(),
                      "Camping Trip",
                      4,
                      SearchFilters.NONE,
                      Diversity.DEFAULT,
                      0f));
      assertEquals(4, result.items().size());
      for (RecommendedItem item : result.items()) {
        assertTrue(
            s.items().categoryPath(item.ordinal()).startsWith("Sports > Camping"), item.toString());
        assertTrue(item.reasons().contains("for Camping Trip"), item.reasons().toString());
      }
      RecommendResult unknown =
          recommender(s)
              .recommend(
                  new RecommendRequest(
                      null,
                      List.of(),
                      "moon landing",
                      4,
                      SearchFilters.NONE,
                      Diversity.DEFAULT,
                      0f));
      assertTrue(
          unknown.notes().get(0).startsWith("no occasion 'moon landing'"),
          unknown.notes().toString());
    }
  }

  @Test
  void similarItemsAreAlternativesNotComplements(Random random) throws IOException {
    try (Snapshot s = snapshot("s", false, random.nextLong())) {
      RecommendResult result = recommender(s).similarItems("tent1", 4, null);
      assertFalse(result.items().isEmpty());
      for (RecommendedItem item : result.items()) {
        assertFalse(item.channels().contains(Channel.COMPLEMENT), item.toString());
        assertEquals(0f, item.parts().getOrDefault(Feature.COMPLEMENT, 0f));
      }
    }
  }

  /**
   * Paid placement must not touch organic ranking: marking items sponsored changes no score or
   * order.
   */
  @Test
  void markingItemsSponsoredChangesNoOrganicScoreOrOrder(Random random) throws IOException {
    long seed = random.nextLong();
    try (Snapshot plain = snapshot("plain", false, seed);
        Snapshot paid = snapshot("paid", true, seed)) {
      int sponsored = 0;
      for (int i = 0; i < paid.items().size(); i++) {
        sponsored += paid.items().sponsored(i) ? 1 : 0;
        assertFalse(plain.items().sponsored(i));
      }
      assertTrue(sponsored > 0, "some items are sponsored");
      Recommender a = recommender(plain);
      Recommender b = recommender(paid);
      List<RecommendRequest> requests = new ArrayList<>();
      for (int u = 0; u < 20; u++) {
        requests.add(RecommendRequest.forUser((u % 2 == 0 ? "buyer" : "camper") + u, 10));
      }
      requests.add(RecommendRequest.forContext(List.of("smartphone2"), 10));
      requests.add(new RecommendRequest(null, List.of(), "camping trip", 10, null, null, 0.1f));
      boolean sawSponsored = false;
      for (RecommendRequest request : requests) {
        List<RecommendedItem> x = a.recommend(request).items();
        List<RecommendedItem> y = b.recommend(request).items();
        assertEquals(x.size(), y.size(), request.toString());
        for (int i = 0; i < x.size(); i++) {
          assertEquals(x.get(i).id(), y.get(i).id(), request + " position " + i);
          assertEquals(x.get(i).score(), y.get(i).score(), request + " position " + i);
          assertEquals(x.get(i).parts(), y.get(i).parts());
          assertEquals(
              paid.items().sponsored(y.get(i).ordinal()), y.get(i).sponsored(), "disclosed");
          sawSponsored |= y.get(i).sponsored();
        }
      }
      assertTrue(sawSponsored, "a sponsored item was recommended, and disclosed");
      TextSearcher ta = new TextSearcher(plain);
      TextSearcher tb = new TextSearcher(paid);
      for (String query : List.of("smartphone", "acme tent", "sleeping bag 3", "phone case")) {
        List<SearchHit> x = ta.search(SearchRequest.of(query, 20)).hits();
        List<SearchHit> y = tb.search(SearchRequest.of(query, 20)).hits();
        assertEquals(x, y, query);
      }
    }
  }
}
