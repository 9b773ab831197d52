package dev.magpie.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.testing.TestSnapshots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryUnderstandingTest {
  @TempDir static Path dir;
  private static Snapshot snapshot;
  private static CatalogVocabulary vocabulary;

  @BeforeAll
  static void catalog() throws IOException {
    snapshot = TestSnapshots.build(dir, List.of(
        TestSnapshots.item("1", "Shoe", "Apex Motion", "Sports > Running", 100, 1, Map.of("color", "red")),
        TestSnapshots.item("2", "Knife", "Edgecraft", "Home > Kitchen", 100, 1, Map.of())));
    vocabulary = new CatalogVocabulary(snapshot.items());
  }

  @AfterAll
  static void close() {
    snapshot.close();
  }

  private static QueryUnderstanding.Understanding understand(String query) {
    return QueryUnderstanding.understand(query, vocabulary, (name, value) -> name.equals("color") && value.equals("red"));
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
}
