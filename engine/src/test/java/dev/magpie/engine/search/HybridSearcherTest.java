package dev.magpie.engine.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.embed.Embedder;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.testing.RandomItems;
import dev.magpie.engine.testing.RecordingEmbedder;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.TestSnapshots;
import dev.magpie.engine.vector.VectorSimilarity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hybrid search: both channels on the same request, fused as documented, every hit explained. */
@Seeded
class HybridSearcherTest {
  private static final int DIM = 24;

  @Test
  void fusesBothChannelsAsDocumented(Random random, @TempDir Path dir) throws IOException {
    List<Item> items = RandomItems.items(random, 3_000, DIM);
    try (Snapshot snapshot = TestSnapshots.build(dir, items)) {
      HybridSearcher hybrid = new HybridSearcher(snapshot, null);
      VectorSearcher vectors = new VectorSearcher(snapshot, null);
      for (String text : List.of("running shoe", "steel knife", "café")) {
        float[] query =
            items.stream()
                .filter(Item::hasVector)
                .skip(random.nextInt(100))
                .findFirst()
                .orElseThrow()
                .vector()
                .clone();
        query[0] += 0.2f;
        SearchRequest request = SearchRequest.of(text, 20).withUnderstanding(false);

        HybridResult rrf =
            hybrid.search(request, query, new Fusion(Fusion.Method.RRF, 0.7f, 0.3f, 50));
        List<SearchHit> textOrder = hybrid.text().search(request.withK(50)).hits();
        assertFalse(rrf.hits().isEmpty(), text);
        for (HybridHit hit : rrf.hits()) {
          double expected =
              (hit.textRank() == 0 ? 0 : 0.7 / (60 + hit.textRank()))
                  + (hit.vectorRank() == 0 ? 0 : 0.3 / (60 + hit.vectorRank()));
          assertEquals(expected, hit.score(), 1e-6, hit.explanation());
          assertTrue(
              hit.textRank() > 0 || hit.vectorRank() > 0,
              "from some channel: " + hit.explanation());
          if (hit.textRank() > 0) {
            assertEquals(
                textOrder.get(hit.textRank() - 1).ordinal(),
                hit.ordinal(),
                "text rank as the text channel");
          }
        }
        assertDescending(rrf.hits());

        HybridResult linear =
            hybrid.search(request, query, new Fusion(Fusion.Method.LINEAR, 0.5f, 0.5f, 50));
        int[] ordinals = linear.hits().stream().mapToInt(HybridHit::ordinal).toArray();
        float[] bm25 = hybrid.text().score(request, ordinals);
        float[] cosine = vectors.similarities(query, ordinals);
        for (int i = 0; i < ordinals.length; i++) {
          HybridHit hit = linear.hits().get(i);
          assertEquals(
              bm25[i],
              hit.textScore(),
              1e-4,
              "exact BM25, found or filled in: " + hit.explanation());
          Item item = items.get(ordinals[i]);
          assertEquals(
              item.hasVector() ? exactCosine(item.vector(), query) : 0f,
              cosine[i],
              1e-6,
              "similarities() is exact");
          assertEquals(
              cosine[i],
              hit.vectorScore(),
              1e-6,
              "exact cosine, found or filled in: " + hit.explanation());
          assertTrue(hit.score() >= 0 && hit.score() <= 1.0001, hit.explanation());
          if (hit.textRank() > 0) {
            assertEquals(
                textOrder.get(hit.textRank() - 1).matches(),
                hit.matches(),
                "explained as text search does");
          }
          assertEquals(
              bm25[i] > 0,
              !hit.matches().isEmpty(),
              "every text match explained: " + hit.explanation());
        }
        assertDescending(linear.hits());

        HybridResult unexplained =
            hybrid.search(
                request.withExplanations(false),
                query,
                new Fusion(Fusion.Method.LINEAR, 0.5f, 0.5f, 50));
        assertEquals(linear.hits().size(), unexplained.hits().size());
        for (int i = 0; i < unexplained.hits().size(); i++) {
          HybridHit later = unexplained.hits().get(i);
          assertTrue(
              later.matches().isEmpty(), "not explained while searching: " + later.explanation());
          assertEquals(
              linear.hits().get(i),
              unexplained.explained(later),
              "explained afterwards as while searching");
        }
        assertEquals(
            linear.hits(),
            unexplained.explained(unexplained.hits()),
            "explained afterwards all at once (each clause's postings read once) as one by one");

        HybridResult textOnly =
            hybrid.search(request, query, new Fusion(Fusion.Method.LINEAR, 1f, 0f, 50));
        assertArrayEquals(
            textOrder.stream().limit(20).mapToInt(SearchHit::ordinal).toArray(),
            textOnly.hits().stream().mapToInt(HybridHit::ordinal).toArray(),
            "vector weight 0 is BM25 alone");
      }
    }
  }

  @Test
  void filtersBindBothChannelsAndEmptyQueriesAreRefused(Random random, @TempDir Path dir)
      throws IOException {
    List<Item> items = RandomItems.items(random, 2_000, DIM);
    try (Snapshot snapshot = TestSnapshots.build(dir, items)) {
      HybridSearcher hybrid = new HybridSearcher(snapshot, null);
      Item seed = items.stream().filter(i -> !i.brand().isEmpty()).findFirst().orElseThrow();
      String brand = CatalogVocabulary.normalize(seed.brand());
      float[] query = items.stream().filter(Item::hasVector).findFirst().orElseThrow().vector();
      // Understanding may read a brand into "steel" or "running": the caller's brand still wins.
      HybridResult result =
          hybrid.search(
              SearchRequest.of("steel running", 30)
                  .withFilters(SearchFilters.brands(List.of(seed.brand()))),
              query,
              Fusion.DEFAULT);
      assertFalse(result.hits().isEmpty());
      for (HybridHit hit : result.hits()) {
        assertEquals(
            brand,
            CatalogVocabulary.normalize(items.get(hit.ordinal()).brand()),
            hit.explanation());
      }
      // "under $5" read in the text contradicts the caller's minimum price: the caller's range
      // stays.
      SearchResult priced =
          hybrid
              .text()
              .search(
                  SearchRequest.of("knife under $5", 10)
                      .withFilters(SearchFilters.price(100_000, -1)));
      assertTrue(
          priced.notes().stream().anyMatch(n -> n.contains("kept the request's price range")),
          priced.notes() + " " + priced.understood());
      HybridResult empty = hybrid.search(SearchRequest.of("the of and", 10), Fusion.DEFAULT);
      assertTrue(empty.hits().isEmpty(), empty.hits().toString());
      assertEquals(List.of(HybridSearcher.NOTHING_TO_SEARCH), empty.notes());
      HybridResult noEmbedder =
          hybrid.search(SearchRequest.of("steel", 10).withUnderstanding(false), Fusion.DEFAULT);
      assertTrue(
          noEmbedder.notes().stream()
              .anyMatch(n -> n.startsWith("vector channel skipped, text channel only:")),
          noEmbedder.notes().toString());
      assertTrue(noEmbedder.hits().stream().allMatch(h -> h.vectorRank() == 0));
    }
  }

  @Test
  void theVectorChannelEmbedsTheSpellingCorrectedText(@TempDir Path dir) throws IOException {
    RecordingEmbedder embedder = new RecordingEmbedder(DIM);
    List<Item> items = new ArrayList<>();
    String[] titles = {
      "toilet seat soft close", "toilet brush", "garden hose", "shower head", "toilet flapper"
    };
    for (int i = 0; i < titles.length; i++) {
      items.add(
          new Item(
              "i" + i,
              titles[i],
              "",
              "",
              "",
              -1,
              "",
              -1,
              Float.NaN,
              Map.of(),
              embedder.embed(titles[i])));
    }
    try (Snapshot snapshot =
        TestSnapshots.build(
            dir,
            items,
            Knowledge.EMPTY,
            Map.of(Embedder.MANIFEST_PARAMETER, RecordingEmbedder.NAME))) {
      HybridSearcher hybrid = new HybridSearcher(snapshot, embedder);
      HybridResult result = hybrid.search(SearchRequest.of("toliet seet", 3), Fusion.DEFAULT);
      assertEquals(
          "toilet seat", embedder.texts().getLast(), "the model reads the corrected words");
      assertEquals(
          List.of(
              new Constraint("spelling", "toliet", "toilet"),
              new Constraint("spelling", "seet", "seat")),
          result.understood());
      assertEquals(
          "toliet seet",
          result.searchedText(),
          "BM25 searches the words as typed, with its typo retry");
      assertEquals(
          "i0", result.hits().getFirst().externalId(), result.hits().getFirst().explanation());
      assertTrue(
          result.hits().getFirst().vectorRank() == 1 && result.hits().getFirst().textRank() == 1,
          result.hits().getFirst().explanation());
    }
  }

  @Test
  void channelsSideBySideAnswerAsOneAfterTheOther(Random random, @TempDir Path dir)
      throws Exception {
    RecordingEmbedder embedder = new RecordingEmbedder(DIM);
    List<Item> items = new ArrayList<>();
    for (Item item : RandomItems.items(random, 2_000, DIM)) {
      items.add(item.withVector(embedder.embed(item.title())));
    }
    try (Snapshot snapshot =
        TestSnapshots.build(
            dir,
            items,
            Knowledge.EMPTY,
            Map.of(Embedder.MANIFEST_PARAMETER, RecordingEmbedder.NAME))) {
      HybridSearcher oneAfterTheOther = new HybridSearcher(snapshot, embedder);
      HybridSearcher sideBySide = new HybridSearcher(snapshot, embedder, SpareCores.shared());
      long handedOff = SpareCores.shared().handedOff();
      List<SearchRequest> requests = new ArrayList<>();
      for (int q = 0; q < 200; q++) {
        String[] words = items.get(random.nextInt(items.size())).title().split(" ");
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < 1 + random.nextInt(3); w++) {
          String word = words[random.nextInt(words.length)];
          word = word.substring(0, Math.min(word.length(), 12));
          if (random.nextInt(4) == 0 && word.length() > 3) { // a typo
            word = word.substring(1);
          }
          text.append(word).append(' ');
        }
        requests.add(SearchRequest.of(text.toString().trim(), 1 + random.nextInt(30)));
      }
      Fusion[] fusions = {
        Fusion.DEFAULT, new Fusion(Fusion.Method.RRF, 0.5f, 0.5f, 60), Fusion.DEFAULT
      };
      for (int q = 0; q < requests.size(); q++) {
        SearchRequest request = requests.get(q);
        Fusion fusion = fusions[q % fusions.length];
        float[] vector = q % 5 == 0 ? embedder.embed("query " + q) : null;
        HybridResult expected = oneAfterTheOther.search(request, vector, fusion);
        HybridResult actual = sideBySide.search(request, vector, fusion);
        String what = "'" + request.query() + "'";
        assertEquals(expected.hits(), actual.hits(), what);
        assertEquals(expected.understood(), actual.understood(), what);
        assertEquals(expected.notes(), actual.notes(), what);
        assertEquals(expected.searchedText(), actual.searchedText(), what);
      }
      assertTrue(
          SpareCores.shared().handedOff() > handedOff
              || Runtime.getRuntime().availableProcessors() < 2,
          "some vector channels ran on a spare core");
      assertEquals(0, SpareCores.shared().inFlight(), "every search counted out");
    }
  }

  @Test
  void linearNormalisationMapsToTheUnitRange() {
    assertArrayEquals(new double[] {0, 0.5, 1}, LinearFusion.normalised(new double[] {2, 4, 6}));
    assertArrayEquals(new double[] {0, 0}, LinearFusion.normalised(new double[] {3, 3}));
    assertArrayEquals(new double[0], LinearFusion.normalised(new double[0]));
  }

  private static float exactCosine(float[] item, float[] query) {
    return VectorSimilarity.dot(
        VectorSimilarity.COSINE.prepare(item), VectorSimilarity.COSINE.prepare(query));
  }

  private static void assertDescending(List<HybridHit> hits) {
    for (int i = 1; i < hits.size(); i++) {
      assertTrue(hits.get(i - 1).score() >= hits.get(i).score(), "fused scores descend at " + i);
    }
  }
}
