package dev.magpie.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.testing.FuzzInputs;
import dev.magpie.engine.testing.LongMode;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.TestSnapshots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing of query parsing and constraint extraction ({@link QueryUnderstanding}), and of the whole
 * hybrid search behind it (analysis, spelling, Lucene query building, filters, fusion), with any
 * text an agent may send: every query is answered, never fails, and the answer holds together.
 * {@code @FuzzTest}s replay the seed corpus in every build and fuzz with {@code JAZZER_FUZZ=1}
 * ({@code scripts/fuzz.sh}); {@link #mutatedSeeds} runs random edits of the seeds every build.
 */
@Seeded
class QueryFuzzTest {
  @TempDir static Path dir;
  private static Snapshot snapshot;
  private static CatalogVocabulary vocabulary;
  private static HybridSearcher searcher;

  @BeforeAll
  static void catalog() throws IOException {
    snapshot =
        TestSnapshots.build(
            dir,
            List.of(
                TestSnapshots.item(
                    "1",
                    "Trail running shoe",
                    "Apex Motion",
                    "Sports > Running",
                    8_999,
                    3,
                    Map.of("color", "red")),
                TestSnapshots.item(
                    "2",
                    "Chef knife 8 inch",
                    "Edgecraft",
                    "Home > Kitchen",
                    4_500,
                    0,
                    Map.of("color", "black")),
                TestSnapshots.item(
                    "3",
                    "Rose gold phone case",
                    "Cirrus",
                    "Electronics > Phones > Cases",
                    1_999,
                    12,
                    Map.of("color", "rose")),
                TestSnapshots.item(
                    "4",
                    "Camping tent for 4 people",
                    "Northfold",
                    "Sports > Camping",
                    19_900,
                    2,
                    Map.of()),
                TestSnapshots.item(
                    "5",
                    "Hiking boots waterproof",
                    "Apex Motion",
                    "Sports > Hiking",
                    12_000,
                    5,
                    Map.of("color", "brown"))));
    vocabulary = new CatalogVocabulary(snapshot.items());
    searcher = new HybridSearcher(snapshot, null);
  }

  @AfterAll
  static void close() {
    snapshot.close();
  }

  private static String text(byte[] input) {
    String query = new String(input, StandardCharsets.UTF_8);
    return query.length() > SearchRequest.MAX_QUERY_CHARS
        ? query.substring(0, SearchRequest.MAX_QUERY_CHARS)
        : query;
  }

  /** Lower case, every run of white space one space. */
  private static String folded(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
  }

  /**
   * Constraint extraction: filters hold together (no bound below zero, none excluding every price),
   * the text searched only loses what was taken, and what each constraint says it read is in the
   * query.
   */
  @FuzzTest(maxDuration = "2m")
  void understandsAnyQuery(byte[] input) {
    String query = text(input);
    QueryUnderstanding.Understanding u =
        QueryUnderstanding.understand(
            query,
            vocabulary,
            (name, value) ->
                name.equals("color") && Set.of("red", "black", "rose", "brown").contains(value));
    SearchFilters f = u.filters();
    assertTrue(f.minPriceMinor() >= -1 && f.maxPriceMinor() >= -1, query);
    assertTrue(
        f.minPriceMinor() < 0 || f.maxPriceMinor() < 0 || f.minPriceMinor() <= f.maxPriceMinor(),
        query);
    assertTrue(
        u.text().length() <= query.length(), () -> "'" + u.text() + "' from '" + query + "'");
    String words = folded(query);
    for (Constraint c : u.constraints()) {
      assertTrue(!c.kind().isEmpty() && !c.value().isEmpty(), c.toString());
      // Each word of what was read is in the query (a constraint may be read after another was cut
      // out).
      for (String word : folded(c.text()).split(" ")) {
        assertTrue(words.contains(word), () -> c + ": '" + word + "' is not in '" + query + "'");
      }
    }
  }

  /**
   * The whole search: the first byte chooses k (1 to 64), the second which filters apply, the rest
   * is the query. At most k hits, each a distinct item of the catalog that passes the filters, with
   * a finite score, best first.
   */
  @FuzzTest(maxDuration = "2m")
  void searchesAnyQuery(byte[] input) {
    int k = input.length > 0 ? 1 + (input[0] & 63) : 10;
    int flags = input.length > 1 ? input[1] : 0;
    String query =
        text(input.length > 2 ? java.util.Arrays.copyOfRange(input, 2, input.length) : new byte[0]);
    SearchFilters filters =
        new SearchFilters(
            (flags & 1) != 0 ? List.of("Sports") : List.of(),
            (flags & 2) != 0 ? List.of("apex motion") : List.of(),
            (flags & 4) != 0 ? 5_000 : -1,
            (flags & 8) != 0 ? 15_000 : -1,
            (flags & 16) != 0,
            (flags & 32) != 0 ? Map.of("color", "red") : Map.of());
    HybridResult result;
    try {
      result =
          searcher.search(
              SearchRequest.of(query, k).withFilters(filters).withExplanations((flags & 64) != 0),
              Fusion.DEFAULT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (result.notes().contains(HybridSearcher.NOTHING_TO_SEARCH)) {
      // Nothing left to search (empty, or only stop words) and no filter: an answer with no hits.
      assertTrue(result.hits().isEmpty(), query);
      return;
    }
    assertTrue(result.hits().size() <= k, query);
    Set<Integer> seen = new HashSet<>();
    float previous = Float.POSITIVE_INFINITY;
    for (HybridHit hit : result.hits()) {
      assertTrue(
          seen.add(hit.ordinal()), () -> "item " + hit.externalId() + " twice for '" + query + "'");
      assertEquals(snapshot.items().externalId(hit.ordinal()), hit.externalId());
      assertTrue(
          Float.isFinite(hit.score()) && hit.score() <= previous,
          () -> hit + " for '" + query + "'");
      previous = hit.score();
      long price = snapshot.items().priceMinor(hit.ordinal());
      assertTrue(filters.minPriceMinor() < 0 || price >= filters.minPriceMinor(), query);
      assertTrue(filters.maxPriceMinor() < 0 || price <= filters.maxPriceMinor(), query);
      assertTrue(!filters.inStockOnly() || snapshot.items().stock(hit.ordinal()) > 0, query);
    }
  }

  @Test
  void mutatedSeeds(Random random) {
    int runs = LongMode.count("fuzz.mutations", 2_000, 50_000);
    FuzzInputs.run(
        random, QueryFuzzTest.class, "understandsAnyQuery", runs, this::understandsAnyQuery);
    FuzzInputs.run(random, QueryFuzzTest.class, "searchesAnyQuery", runs, this::searchesAnyQuery);
  }
}
