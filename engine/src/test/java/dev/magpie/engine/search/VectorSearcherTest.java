package dev.magpie.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.testing.RandomItems;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.TestSnapshots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vector search with text search's filters, against a brute-force oracle over the items. */
@Seeded
class VectorSearcherTest {
  private static final int DIM = 24;

  @Test
  void everyFilterKindMatchesTheOracle(Random random, @TempDir Path dir) throws IOException {
    List<Item> items = RandomItems.items(random, 6_000, DIM);
    try (Snapshot snapshot = TestSnapshots.build(dir, items)) {
      VectorSearcher searcher = new VectorSearcher(snapshot, null);
      for (int round = 0; round < 40; round++) {
        Item seed = items.get(random.nextInt(items.size()));
        SearchFilters filters = SearchFilters.NONE;
        Predicate<Item> oracle = Item::hasVector;
        switch (round % 6) {
          case 0 -> {}
          case 1 -> {
            filters = SearchFilters.brands(List.of(seed.brand()));
            String brand = CatalogVocabulary.normalize(seed.brand());
            oracle =
                oracle.and(
                    i ->
                        !i.brand().isEmpty()
                            && CatalogVocabulary.normalize(i.brand()).equals(brand));
          }
          case 2 -> {
            String path = CatalogVocabulary.normalize(seed.categoryPath());
            filters =
                new SearchFilters(List.of(seed.categoryPath()), List.of(), -1, -1, false, Map.of());
            oracle =
                oracle.and(
                    i ->
                        !seed.categoryPath().isEmpty()
                            && (CatalogVocabulary.normalize(i.categoryPath()).equals(path)
                                || CatalogVocabulary.normalize(i.categoryPath())
                                    .startsWith(path + " > ")));
          }
          case 3 -> {
            long low = random.nextInt(500_000);
            long high = low + random.nextInt(300_000);
            filters = SearchFilters.price(low, high);
            oracle =
                oracle.and(i -> i.hasPrice() && i.priceMinor() >= low && i.priceMinor() <= high);
          }
          case 4 -> {
            filters = new SearchFilters(List.of(), List.of(), -1, 200_000, true, Map.of());
            oracle = oracle.and(i -> i.stock() != 0 && i.hasPrice() && i.priceMinor() <= 200_000);
          }
          default -> {
            // Pairs with an empty value are not indexed, in text search either.
            Map.Entry<String, String> attribute =
                items.stream()
                    .flatMap(i -> i.attributes().entrySet().stream())
                    .filter(e -> !e.getValue().isBlank())
                    .skip(random.nextInt(50))
                    .findFirst()
                    .orElseThrow();
            filters =
                new SearchFilters(
                    List.of(),
                    List.of(),
                    0,
                    900_000,
                    false,
                    Map.of(attribute.getKey(), attribute.getValue()));
            String pair =
                dev.magpie.engine.text.TextFields.attributePair(
                    attribute.getKey(), attribute.getValue());
            oracle =
                oracle.and(
                    i ->
                        i.hasPrice()
                            && i.priceMinor() <= 900_000
                            && i.attributes().entrySet().stream()
                                .anyMatch(
                                    a ->
                                        dev.magpie.engine.text.TextFields.attributePair(
                                                a.getKey(), a.getValue())
                                            .equals(pair)));
          }
        }
        float[] query = new float[DIM];
        for (int d = 0; d < DIM; d++) {
          query[d] = (float) random.nextGaussian();
        }
        Predicate<Item> passes = oracle;
        List<Integer> passing =
            IntStream.range(0, items.size())
                .filter(i -> passes.test(items.get(i)))
                .boxed()
                .toList();
        List<Integer> expected =
            passing.stream()
                .sorted(
                    Comparator.comparingDouble(
                        (Integer i) -> -cosine(items.get(i).vector(), query)))
                .limit(10)
                .toList();
        SearchResult result = searcher.search(new VectorSearchRequest("", query, 10, 200, filters));
        String what = "round " + round + " " + filters;
        assertEquals(
            Math.min(10, passing.size()), result.hits().size(), what + ": k hits when k pass");
        List<Integer> found = new ArrayList<>();
        for (SearchHit hit : result.hits()) {
          assertTrue(
              passes.test(items.get(hit.ordinal())),
              what + ": hit " + hit.externalId() + " fails the filter");
          assertEquals(items.get(hit.ordinal()).externalId(), hit.externalId());
          assertEquals(
              cosine(items.get(hit.ordinal()).vector(), query),
              hit.score(),
              1e-4,
              "rescored similarity");
          found.add(hit.ordinal());
        }
        long overlap = expected.stream().filter(found::contains).count();
        assertTrue(
            overlap >= Math.min(expected.size(), 9), what + ": " + overlap + " of " + expected);
      }
    }
  }

  @Test
  void badRequestsNameWhatIsWrong(Random random, @TempDir Path dir) throws IOException {
    try (Snapshot snapshot = TestSnapshots.build(dir, RandomItems.items(random, 300, DIM))) {
      VectorSearcher searcher = new VectorSearcher(snapshot, null);
      assertTrue(
          assertThrows(
                  IllegalArgumentException.class,
                  () -> searcher.search(VectorSearchRequest.text("shoes", 5)))
              .getMessage()
              .contains("brought its own vectors"));
      assertTrue(
          assertThrows(
                  IllegalArgumentException.class,
                  () -> searcher.search(VectorSearchRequest.vector(new float[DIM + 1], 5)))
              .getMessage()
              .contains("25 dimensions"));
      assertTrue(
          assertThrows(
                  IllegalArgumentException.class,
                  () -> new VectorSearchRequest("shoes", new float[DIM], 5, 0, SearchFilters.NONE))
              .getMessage()
              .contains("not both"));
      assertTrue(
          assertThrows(
                  IllegalArgumentException.class,
                  () -> new VectorSearchRequest("", new float[DIM], 5, -1, SearchFilters.NONE))
              .getMessage()
              .contains("got -1"));
    }
    try (Snapshot snapshot =
        TestSnapshots.build(dir.resolve("plain"), RandomItems.items(random, 30, 0))) {
      assertTrue(
          assertThrows(IllegalArgumentException.class, () -> new VectorSearcher(snapshot, null))
              .getMessage()
              .contains("no vector index"));
    }
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }
}
