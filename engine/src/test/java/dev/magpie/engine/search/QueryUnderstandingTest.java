package dev.magpie.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.testing.TestSnapshots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryUnderstandingTest {
  @TempDir static Path dir;
  private static Snapshot snapshot;
  private static CatalogVocabulary vocabulary;

  @BeforeAll
  static void catalog() throws IOException {
    snapshot =
        TestSnapshots.build(
            dir,
            List.of(
                TestSnapshots.item(
                    "1", "Shoe", "Apex Motion", "Sports > Running", 100, 1, Map.of("color", "red")),
                TestSnapshots.item("2", "Knife", "Edgecraft", "Home > Kitchen", 100, 1, Map.of())));
    vocabulary = new CatalogVocabulary(snapshot.items());
  }

  @AfterAll
  static void close() {
    snapshot.close();
  }

  private static QueryUnderstanding.Understanding understand(String query) {
    return QueryUnderstanding.understand(
        query,
        vocabulary,
        (name, value) -> name.equals("color") && (value.equals("red") || value.equals("rose")));
  }

  private static List<Long> bounds(String query) {
    QueryUnderstanding.Understanding u = understand(query);
    return List.of(u.filters().minPriceMinor(), u.filters().maxPriceMinor());
  }

  private static void price(String query, long min, long max, String rest) {
    QueryUnderstanding.Understanding u = understand(query);
    assertEquals(min, u.filters().minPriceMinor(), query);
    assertEquals(max, u.filters().maxPriceMinor(), query);
    assertEquals(rest, u.text(), query);
  }

  @Test
  void pricePhrases() {
    price("running shoes under $50", -1, 5000, "running shoes");
    price("knife below 30 dollars", -1, 3000, "knife");
    price("tent less than 99.99 usd", -1, 9999, "tent");
    price("$20-$40 knife", 2000, 4000, "knife");
    price("knife between 20 and 40 dollars", 2000, 4000, "knife");
    price("speaker over 100 bucks", 10000, -1, "speaker");
    price("lamp under 50", -1, 5000, "lamp");
    // Found by QueryFuzzTest: amounts past a long wrapped to negative bounds and failed the search.
    price("lamp under $87425544324152034280", -1, Long.MAX_VALUE, "lamp");
    price("lamp over 99999999999999999999 dollars", Long.MAX_VALUE, -1, "lamp");
    // Found by QueryFuzzTest: bounds that exclude every price failed the search; the later one
    // stays text.
    assertEquals(List.of(-1L, 4000L), bounds("tent under $40, over $100"));
    assertEquals(List.of(5000L, 6000L), bounds("tent $50-$60, under $30"));
  }

  @Test
  void numbersThatAreNotPricesStay() {
    price("rope under 50 ft", -1, -1, "rope under 50 ft");
    price("2 to 4 inch screws", -1, -1, "2 to 4 inch screws");
    price("under cabinet light", -1, -1, "under cabinet light");
    price("12-gauge wire", -1, -1, "12-gauge wire");
  }

  @Test
  void brandsByWholeNameAndColoursTheCatalogHas() {
    QueryUnderstanding.Understanding u = understand("apex motion red trail shoe");
    assertEquals(List.of("apex motion"), u.filters().brands());
    assertEquals(Map.of("color", "red"), u.filters().attributes());
    assertEquals("trail shoe", u.text());
    assertEquals("brand apex motion (from 'apex motion')", u.constraints().getFirst().toString());
    QueryUnderstanding.Understanding partial = understand("apex blue shoe");
    assertTrue(partial.filters().brands().isEmpty(), "half a brand name is not a brand");
    assertTrue(partial.filters().attributes().isEmpty(), "no item is blue: the word stays text");
    assertEquals("apex blue shoe", partial.text());
  }

  @Test
  void colourWordsThatNameThingsNeedToBeSaidAsColours() {
    QueryUnderstanding.Understanding prose = understand("trim the rose bushes in my yard");
    assertTrue(prose.filters().attributes().isEmpty(), "roses, not the colour");
    assertEquals("trim the rose bushes in my yard", prose.text());
    assertEquals(
        Map.of("color", "rose"), understand("running shoe in rose").filters().attributes());
    QueryUnderstanding.Understanding cue = understand("rose colored yoga mat");
    assertEquals(Map.of("color", "rose"), cue.filters().attributes());
    assertEquals("yoga mat", cue.text());
    assertEquals(
        Map.of("color", "red"),
        understand("red rose bushes").filters().attributes(),
        "a colour that names nothing else needs no cue");
  }

  @Test
  void stockWordsBecomeTheStockFilter() {
    QueryUnderstanding.Understanding u = understand("knife In Stock under $40");
    assertTrue(u.filters().inStockOnly());
    assertEquals(4000, u.filters().maxPriceMinor());
    assertEquals("knife", u.text());
    assertEquals("stock in stock only (from 'In Stock')", u.constraints().getFirst().toString());
    assertTrue(understand("tent available now").filters().inStockOnly());
    assertTrue(!understand("stock pot").filters().inStockOnly(), "a stock pot is a pot");
    assertEquals("stock pot", understand("stock pot").text());
  }

  @Test
  void requestOpeningsAreNotSearched() {
    assertEquals(
        "a gift for a 10 year old who likes science",
        understand("I'm looking for a gift for a 10 year old who likes science, under $40").text());
    assertEquals("waterproof tent", understand("Hi, can you show me some waterproof tent").text());
    assertEquals("a chef knife", understand("I need a chef knife").text());
    assertEquals("chef knife", understand("do you have chef knife").text());
    assertEquals("chef knife", understand("I’d like to buy chef knife").text());
    QueryUnderstanding.Understanding u = understand("please find me running shoes");
    assertEquals("running shoes", u.text());
    assertEquals(
        "filler not searched (from 'please find me')", u.constraints().getFirst().toString());
    assertEquals(
        "find me", understand("find me").text(), "an opening and nothing else stays the query");
    assertEquals("show stopper knife", understand("show stopper knife").text());
    assertEquals("help desk lamp", understand("help desk lamp").text());
  }
}
