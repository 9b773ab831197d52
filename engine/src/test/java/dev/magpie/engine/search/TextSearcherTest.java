package dev.magpie.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.TestSnapshots;
import dev.magpie.engine.text.TextFields;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Search against exact oracles computed without the index. */
@Seeded
class TextSearcherTest {
  private static final String[] WORDS = {
    "trail", "running", "shoe", "boot", "hiking", "waterproof", "knife", "chef", "steel", "pan",
    "cast", "iron", "phone", "case", "rugged", "clear", "tent", "dome", "lamp", "led"
  };
  private static final String[] BRANDS = {"Fleetfoot", "Northpeak", "Edgecraft", "Apex Motion", ""};
  private static final String[] CATEGORIES = {
    "Sports > Footwear > Running",
    "Sports > Footwear > Hiking",
    "Sports > Camping",
    "Home > Kitchen",
    "Home > Kitchen > Knives",
    "Electronics > Phones",
    ""
  };
  private static final String[] COLOURS = {"red", "blue", "black"};

  @TempDir Path tmp;

  private static List<Item> catalog(Random random, int count) {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder title = new StringBuilder();
      int words = 1 + random.nextInt(4);
      for (int w = 0; w < words; w++) {
        title.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
      }
      Map<String, String> attributes = new LinkedHashMap<>();
      if (random.nextBoolean()) {
        attributes.put("color", COLOURS[random.nextInt(COLOURS.length)]);
      }
      long price = random.nextInt(6) == 0 ? Item.UNKNOWN_PRICE : random.nextInt(20_000);
      int stock = random.nextInt(5) == 0 ? Item.UNKNOWN_STOCK : random.nextInt(4);
      items.add(
          TestSnapshots.item(
              "id-" + i,
              title.toString(),
              BRANDS[random.nextInt(BRANDS.length)],
              CATEGORIES[random.nextInt(CATEGORIES.length)],
              price,
              stock,
              attributes));
    }
    return items;
  }

  /** Tokens of the item's searchable fields, analysed as the index analyses them. */
  private static Set<String> tokens(TextSearcher searcher, Item item) {
    Set<String> tokens = new HashSet<>();
    tokens.addAll(searcher.analyze(item.title()));
    tokens.addAll(searcher.analyze(item.brand()));
    tokens.addAll(searcher.analyze(item.categoryPath()));
    tokens.addAll(searcher.analyze(item.description()));
    item.attributes().values().forEach(v -> tokens.addAll(searcher.analyze(v)));
    return tokens;
  }

  private static boolean inCategory(Item item, List<String> categories) {
    if (categories.isEmpty()) {
      return true;
    }
    for (String c : categories) {
      if (!item.categoryPath().isEmpty()
          && (item.categoryPath().equalsIgnoreCase(c)
              || item.categoryPath().toLowerCase().startsWith(c.toLowerCase() + " > "))) {
        return true;
      }
    }
    return false;
  }

  private static boolean passes(Item item, SearchFilters f) {
    if (!f.brands().isEmpty()
        && f.brands().stream().noneMatch(b -> b.equalsIgnoreCase(item.brand()))) {
      return false;
    }
    if (!inCategory(item, f.categories())) {
      return false;
    }
    if (f.minPriceMinor() >= 0 || f.maxPriceMinor() >= 0) {
      if (!item.hasPrice()
          || item.priceMinor() < Math.max(0, f.minPriceMinor())
          || (f.maxPriceMinor() >= 0 && item.priceMinor() > f.maxPriceMinor())) {
        return false;
      }
    }
    if (f.inStockOnly() && item.stock() == 0) {
      return false;
    }
    for (Map.Entry<String, String> a : f.attributes().entrySet()) {
      boolean found =
          item.attributes().entrySet().stream()
              .anyMatch(
                  e ->
                      e.getKey().equalsIgnoreCase(a.getKey())
                          && e.getValue().equalsIgnoreCase(a.getValue()));
      if (!found) {
        return false;
      }
    }
    return true;
  }

  private static SearchFilters randomFilters(Random random) {
    List<String> brands = new ArrayList<>();
    if (random.nextInt(3) == 0) {
      brands.add(BRANDS[random.nextInt(BRANDS.length - 1)].toUpperCase());
    }
    List<String> categories = new ArrayList<>();
    if (random.nextInt(3) == 0) {
      categories.add(
          random.nextBoolean() ? "sports" : CATEGORIES[random.nextInt(CATEGORIES.length - 1)]);
    }
    long min = random.nextInt(3) == 0 ? random.nextInt(10_000) : -1;
    long max = random.nextInt(3) == 0 ? 10_000 + random.nextInt(10_000) : -1;
    Map<String, String> attributes =
        random.nextInt(4) == 0
            ? Map.of("Color", COLOURS[random.nextInt(3)].toUpperCase())
            : Map.of();
    return new SearchFilters(categories, brands, min, max, random.nextBoolean(), attributes);
  }

  @Test
  void filteredSearchesMatchABruteForceOracleAndFillK(Random random) throws IOException {
    List<Item> items = catalog(random, 300 + random.nextInt(1500));
    try (Snapshot snapshot = TestSnapshots.build(tmp.resolve("s"), items)) {
      TextSearcher searcher = new TextSearcher(snapshot);
      List<Set<String>> itemTokens = items.stream().map(i -> tokens(searcher, i)).toList();
      for (int round = 0; round < 60; round++) {
        String query =
            round % 10 == 0
                ? ""
                : WORDS[random.nextInt(WORDS.length)]
                    + (random.nextBoolean() ? " " + WORDS[random.nextInt(WORDS.length)] : "");
        SearchFilters filters = randomFilters(random);
        List<String> terms = searcher.analyze(query);
        Set<Integer> oracle = new TreeSet<>();
        for (int i = 0; i < items.size(); i++) {
          boolean text = terms.isEmpty() || terms.stream().anyMatch(itemTokens.get(i)::contains);
          if (text && passes(items.get(i), filters)) {
            oracle.add(i);
          }
        }
        SearchRequest all =
            SearchRequest.of(query, SearchRequest.MAX_K)
                .withFilters(filters)
                .withUnderstanding(false)
                .withFuzzy(false)
                .withExplanations(false);
        SearchResult result = searcher.search(all);
        Set<Integer> found = new TreeSet<>();
        result.hits().forEach(h -> found.add(h.ordinal()));
        if (oracle.size() <= SearchRequest.MAX_K) {
          assertEquals(oracle, found, "query '" + query + "' filters " + filters);
          assertEquals(oracle.size(), result.totalMatches());
        } else {
          assertEquals(SearchRequest.MAX_K, found.size());
          assertTrue(oracle.containsAll(found), "query '" + query + "' filters " + filters);
          assertTrue(result.totalMatches() >= SearchRequest.MAX_K);
        }
        int k = 1 + random.nextInt(10);
        FieldScoring scoring =
            random.nextBoolean() ? FieldScoring.BOOSTED_FIELDS : FieldScoring.COMBINED_FIELDS;
        SearchResult topK =
            searcher.search(new SearchRequest(query, k, filters, false, true, false, scoring));
        assertEquals(
            Math.min(k, oracle.size()), topK.hits().size(), "k hits whenever k items match");
        for (SearchHit hit : topK.hits()) {
          assertTrue(oracle.contains(hit.ordinal()));
          assertEquals(
              items.get(hit.ordinal()).externalId(), hit.externalId(), "doc id is the ordinal");
          if (!terms.isEmpty()) {
            assertFalse(hit.matches().isEmpty(), "explained");
            hit.matches()
                .forEach(m -> assertTrue(terms.contains(m.term()), m + " is a query term"));
          }
        }
      }
    }
  }

  /**
   * The two-phase search of broad queries (per-field BM25 pruned by impacts, then BM25F over its
   * best) against BM25F over every match: each hit scored by BM25F to the bit, in BM25F order with
   * ties by item; the same hits whenever the first phase saw every match; the same scores, ties
   * aside, for nearly every query.
   */
  @Test
  void prunedSearchesRankAsBm25fOverEveryMatch(Random random) throws IOException {
    List<Item> items = catalog(random, 1_000 + random.nextInt(3_000));
    try (Snapshot snapshot = TestSnapshots.build(tmp.resolve("s"), items)) {
      TextSearcher exact = new TextSearcher(snapshot, TextSearcher.DEFAULT_WEIGHTS, Long.MAX_VALUE);
      TextSearcher pruned = new TextSearcher(snapshot, TextSearcher.DEFAULT_WEIGHTS, 0);
      int queries = 200;
      int sameScores = 0;
      for (int q = 0; q < queries; q++) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < 1 + random.nextInt(3); w++) {
          text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        int k = 1 + random.nextInt(60);
        SearchRequest request =
            SearchRequest.of(text.toString().trim(), k).withExplanations(false).withFuzzy(false);
        SearchResult a = exact.search(request);
        SearchResult b = pruned.search(request);
        String what = "'" + request.query() + "' k " + k;
        int[] ordinals = b.hits().stream().mapToInt(SearchHit::ordinal).toArray();
        float[] bm25f = exact.score(request, ordinals);
        for (int i = 0; i < ordinals.length; i++) {
          assertEquals(bm25f[i], b.hits().get(i).score(), 0f, what + ": BM25F's own score");
          if (i > 0) {
            SearchHit before = b.hits().get(i - 1);
            SearchHit hit = b.hits().get(i);
            assertTrue(
                before.score() > hit.score()
                    || (before.score() == hit.score() && before.ordinal() < hit.ordinal()),
                what + ": BM25F order, ties by item");
          }
        }
        assertEquals(a.hits().size(), b.hits().size(), what);
        if (a.totalMatches() <= TextSearcher.PRUNED_MIN) {
          assertEquals(a.hits(), b.hits(), what + ": the first phase saw every match");
        }
        float[] scoresA = new float[a.hits().size()];
        float[] scoresB = new float[b.hits().size()];
        for (int i = 0; i < scoresA.length; i++) {
          scoresA[i] = a.hits().get(i).score();
          scoresB[i] = b.hits().get(i).score();
        }
        sameScores += java.util.Arrays.equals(scoresA, scoresB) ? 1 : 0;
      }
      System.out.printf("pruned: %d of %d queries with BM25F's best scores%n", sameScores, queries);
      assertTrue(sameScores >= queries * 0.9, sameScores + " of " + queries);
    }
  }

  @Test
  void everyExplanationAddsUpToTheScoreShown(Random random) throws IOException {
    List<Item> items = catalog(random, 400);
    try (Snapshot snapshot = TestSnapshots.build(tmp.resolve("s"), items)) {
      TextSearcher searcher = new TextSearcher(snapshot);
      List<String> words = List.of("trail", "running", "shoe", "shoes", "runing", "knife", "red");
      int explained = 0;
      for (int q = 0; q < 40; q++) {
        StringBuilder query = new StringBuilder();
        for (int w = 1 + random.nextInt(3); w > 0; w--) {
          query.append(words.get(random.nextInt(words.size()))).append(' ');
        }
        for (FieldScoring scoring : FieldScoring.values()) {
          SearchRequest request =
              SearchRequest.of(query.toString().strip(), 10)
                  .withExplanations(true)
                  .withFieldScoring(scoring);
          for (SearchHit hit : searcher.search(request).hits()) {
            double sum = hit.matches().stream().mapToDouble(TermMatch::score).sum();
            assertEquals(hit.score(), sum, 1e-3 * Math.max(1, hit.score()), query + " " + hit);
            explained++;
          }
        }
      }
      assertTrue(explained > 100, "explained " + explained + " hits");
    }
  }

  @Test
  void scoreAgreesWithSearchAndIsZeroForNonMatches(Random random) throws IOException {
    List<Item> items = catalog(random, 400);
    try (Snapshot snapshot = TestSnapshots.build(tmp.resolve("s"), items)) {
      TextSearcher searcher = new TextSearcher(snapshot);
      for (FieldScoring scoring : FieldScoring.values()) {
        SearchRequest request =
            SearchRequest.of("trail running shoe", 20)
                .withUnderstanding(false)
                .withExplanations(false)
                .withFieldScoring(scoring);
        SearchResult result = searcher.search(request);
        int[] ordinals = new int[items.size()];
        for (int i = 0; i < ordinals.length; i++) {
          ordinals[ordinals.length - 1 - i] = i;
        }
        float[] scores = searcher.score(request, ordinals);
        Map<Integer, Float> byOrdinal = new LinkedHashMap<>();
        for (int i = 0; i < ordinals.length; i++) {
          byOrdinal.put(ordinals[i], scores[i]);
        }
        for (SearchHit hit : result.hits()) {
          assertEquals(hit.score(), byOrdinal.get(hit.ordinal()), 1e-4f, scoring + " " + hit);
        }
        long positive = byOrdinal.values().stream().filter(s -> s > 0).count();
        assertEquals(
            searcher.search(request.withFilters(SearchFilters.NONE)).totalMatches(), positive);
      }
    }
  }

  @Test
  void typosAreForgivenWhenAWordIsUnknown(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    List<Item> items =
        List.of(
            TestSnapshots.item(
                "a",
                "Edgecraft Chef Knife 8 in.",
                "Edgecraft",
                "Home > Kitchen",
                4999,
                3,
                Map.of()),
            TestSnapshots.item(
                "b", "Cast Iron Skillet", "Castwell", "Home > Kitchen", 2999, 3, Map.of()));
    try (Snapshot snapshot = TestSnapshots.build(dir, items)) {
      TextSearcher searcher = new TextSearcher(snapshot);
      SearchResult result = searcher.search(SearchRequest.of("chef knif", 5));
      assertTrue(result.fuzzy());
      assertEquals("a", result.hits().getFirst().externalId());
      assertTrue(
          result.hits().getFirst().matches().stream()
              .anyMatch(m -> m.fuzzy() && m.term().equals("knife")),
          result.hits().getFirst().explanation());
      SearchResult strict = searcher.search(SearchRequest.of("chef knif", 5).withFuzzy(false));
      assertFalse(strict.fuzzy());
      SearchResult eightInch = searcher.search(SearchRequest.of("8\" knife", 5).withFuzzy(false));
      assertEquals("a", eightInch.hits().getFirst().externalId());
      assertTrue(
          eightInch.hits().getFirst().matches().stream().anyMatch(m -> m.term().equals("8in")),
          eightInch.hits().getFirst().explanation());
    }
  }

  @Test
  void tooFewStrictHitsRetryWithTypoToleranceEvenForKnownWords(@TempDir Path dir)
      throws IOException {
    List<Item> items =
        List.of(
            TestSnapshots.item("s1", "Sheet Rock Panel", "", "Building", 900, 3, Map.of()),
            TestSnapshots.item("s2", "Sheet Rock Screws", "", "Building", 500, 3, Map.of()),
            TestSnapshots.item("odd", "Sheat Metal Snips", "", "Tools", 1500, 3, Map.of()));
    try (Snapshot snapshot = TestSnapshots.build(dir, items)) {
      TextSearcher searcher = new TextSearcher(snapshot);
      SearchResult strictOnly =
          searcher.search(SearchRequest.of("sheat panel", 10).withFuzzy(false));
      assertEquals(
          2,
          strictOnly.hits().size(),
          "'sheat' is a word of the index, so it is no typo by itself");
      SearchResult tolerant = searcher.search(SearchRequest.of("sheat panel", 10));
      assertTrue(tolerant.fuzzy(), "fewer than 10 strict hits: retried with typo tolerance");
      assertEquals(3, tolerant.hits().size());
      assertEquals("s1", tolerant.hits().getFirst().externalId());
      assertTrue(
          tolerant.hits().stream()
              .anyMatch(
                  h ->
                      h.matches().stream()
                          .anyMatch(
                              m ->
                                  m.origin() == TermMatch.Origin.TYPO
                                      && m.term().equals("sheet"))));
      SearchResult enough = searcher.search(SearchRequest.of("sheat panel", 2));
      assertFalse(enough.fuzzy(), "k = 2 strict hits are enough");
      List<org.apache.lucene.search.Query> retried =
          searcher.luceneQueries(SearchRequest.of("sheat panel", 10));
      assertEquals(2, retried.size(), "the strict query, then the retry: " + retried);
      assertEquals(searcher.luceneQuery(SearchRequest.of("sheat panel", 10)), retried.getFirst());
      assertEquals(1, searcher.luceneQueries(SearchRequest.of("sheat panel", 2)).size());
    }
  }

  @Test
  void understandingTurnsPriceBrandAndColourIntoFiltersAndSaysSo(@TempDir Path dir)
      throws IOException {
    List<Item> items =
        List.of(
            TestSnapshots.item(
                "cheap",
                "Trail Running Shoe",
                "Fleetfoot",
                "Sports",
                4500,
                3,
                Map.of("color", "red")),
            TestSnapshots.item(
                "dear",
                "Trail Running Shoe",
                "Fleetfoot",
                "Sports",
                15000,
                3,
                Map.of("color", "red")),
            TestSnapshots.item(
                "blue",
                "Trail Running Shoe",
                "Apex Motion",
                "Sports",
                3000,
                3,
                Map.of("color", "blue")));
    try (Snapshot snapshot = TestSnapshots.build(dir, items)) {
      TextSearcher searcher = new TextSearcher(snapshot);
      SearchResult r = searcher.search(SearchRequest.of("fleetfoot running shoes under $50", 10));
      assertEquals(List.of("cheap"), r.hits().stream().map(SearchHit::externalId).toList());
      assertEquals("running shoes", r.searchedText());
      assertEquals(
          List.of("price", "brand"), r.understood().stream().map(Constraint::kind).toList());
      SearchResult colour = searcher.search(SearchRequest.of("blue trail shoe", 10));
      assertEquals(List.of("blue"), colour.hits().stream().map(SearchHit::externalId).toList());
      assertEquals("color", colour.understood().getFirst().kind());
      SearchResult literal =
          searcher.search(SearchRequest.of("blue trail shoe", 10).withUnderstanding(false));
      assertEquals(3, literal.hits().size());
      SearchResult unknownBrand =
          searcher.search(
              SearchRequest.of("shoe", 10).withFilters(SearchFilters.brands(List.of("Nope"))));
      assertTrue(unknownBrand.hits().isEmpty());
      assertEquals(List.of("no brand 'Nope' in the catalog"), unknownBrand.notes());
    }
  }

  @Test
  void knowledgeRewritesAndSynonymsAreAppliedAndShown(@TempDir Path dir) throws IOException {
    List<Item> items =
        List.of(
            TestSnapshots.item(
                "run", "Road Running Shoe", "Fleetfoot", "Sports", 9000, 3, Map.of()),
            TestSnapshots.item(
                "brew", "Drip Coffee Maker", "Brewmaster", "Home", 5000, 3, Map.of()),
            TestSnapshots.item("mug", "Coffee Mug", "Brewmaster", "Home", 900, 3, Map.of()));
    dev.magpie.engine.knowledge.Knowledge knowledge =
        new dev.magpie.engine.knowledge.Knowledge(
            List.of(),
            List.of(),
            List.of(),
            List.of(List.of("sneakers", "running shoes")),
            List.of(
                new dev.magpie.engine.knowledge.Knowledge.Rewrite(
                    "coffee machine", "coffee maker")));
    try (Snapshot snapshot = TestSnapshots.build(dir, items, knowledge)) {
      TextSearcher searcher = new TextSearcher(snapshot);
      SearchResult sneakers = searcher.search(SearchRequest.of("sneakers", 5));
      assertEquals("run", sneakers.hits().getFirst().externalId());
      assertFalse(sneakers.fuzzy(), "a word synonyms cover is not treated as a typo");
      assertTrue(
          sneakers.hits().getFirst().matches().stream()
              .allMatch(m -> m.origin() == TermMatch.Origin.SYNONYM),
          sneakers.hits().getFirst().explanation());
      assertEquals(
          "synonym running shoes (from 'sneakers')", sneakers.understood().getFirst().toString());
      SearchResult machine = searcher.search(SearchRequest.of("Coffee Machine", 5));
      assertEquals("brew", machine.hits().getFirst().externalId());
      assertEquals("coffee maker", machine.searchedText());
      assertEquals("rewrite", machine.understood().getFirst().kind());
      SearchResult literal =
          searcher.search(
              SearchRequest.of("sneakers", 5).withUnderstanding(false).withFuzzy(false));
      assertTrue(literal.hits().isEmpty(), "without understanding no knowledge is applied");
    }
  }

  @Test
  void attributePairsAreCaseInsensitive() {
    assertEquals("color=red", TextFields.attributePair(" Color ", "RED "));
  }
}
