package dev.magpie.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.View;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.TestSnapshots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reranking computes only the features its model reads (the title matching is skipped when no
 * weight or tree reads it), and orders, scores and explains exactly as scoring every feature would.
 */
@Seeded
class SearchRerankerTest {
  private static final String[] WORDS = {
    "trail", "running", "shoe", "boot", "hiking", "waterproof", "knife", "chef", "steel", "pan",
    "copper", "pipe", "valve", "drill", "cordless", "hammer", "1/2", "in.", "led", "tent"
  };

  @TempDir Path tmp;

  @Test
  void rerankingEqualsScoringEveryFeature(Random random) throws IOException {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      StringBuilder title = new StringBuilder();
      for (int w = 1 + random.nextInt(5); w > 0; w--) {
        title.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
      }
      items.add(
          new Item(
              "r-" + i,
              title.toString().strip(),
              "",
              random.nextBoolean() ? "Fleetfoot" : "Northpeak",
              "Outdoors",
              random.nextInt(10_000),
              "USD",
              random.nextInt(5),
              random.nextInt(51) / 10f,
              Map.of(),
              vector(random)));
    }
    List<RankingModel> models =
        List.of(
            RankingModel.SEARCH_DEFAULT,
            new RankingModel("rating", Map.of(Feature.RELEVANCE, 1f, Feature.RATING, 0.3f)),
            new RankingModel("title", Map.of(Feature.RELEVANCE, 1f, Feature.TITLE_COVERAGE, 0.5f)),
            new RankingModel("head", Map.of(Feature.QUERY_HEAD, 1f, Feature.TEXT, 0.2f)));
    try (Snapshot snapshot = TestSnapshots.build(tmp.resolve("s"), items)) {
      HybridSearcher searcher = new HybridSearcher(snapshot, null);
      int reranked = 0;
      for (int q = 0; q < 30; q++) {
        String query =
            WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)];
        int k = 1 + random.nextInt(12);
        try (View view = snapshot.views().acquire()) {
          HybridResult result =
              searcher.search(
                  view,
                  SearchRequest.of(query, 40).withExplanations(false),
                  vector(random),
                  Fusion.DEFAULT);
          for (RankingModel model : models) {
            SearchReranker reranker = new SearchReranker(snapshot, model);
            float[][] every = reranker.features(view, result);
            Integer[] order = new Integer[every.length];
            float[] scores = new float[every.length];
            for (int i = 0; i < every.length; i++) {
              order[i] = i;
              scores[i] = model.score(every[i]);
            }
            Arrays.sort(
                order,
                (a, b) ->
                    scores[a] != scores[b]
                        ? Float.compare(scores[b], scores[a])
                        : Integer.compare(a, b));
            List<SearchReranker.RankedHit> got = reranker.rerank(view, result, k);
            assertEquals(Math.min(k, every.length), got.size(), query);
            for (int r = 0; r < got.size(); r++) {
              int i = order[r];
              String what = model.name() + " '" + query + "' rank " + r;
              assertEquals(result.hits().get(i).externalId(), got.get(r).hit().externalId(), what);
              assertEquals(scores[i], got.get(r).score(), what);
              HybridHit hit = result.hits().get(i);
              assertEquals(
                  SearchReranker.relevanceByChannel(
                      model.parts(every[i]), hit.score(), hit.textPart()),
                  got.get(r).parts(),
                  what);
              assertFalse(got.get(r).parts().containsKey(Feature.RELEVANCE), what);
              float sum = 0;
              for (float part : got.get(r).parts().values()) {
                sum += part;
              }
              assertEquals(scores[i] - model.bias(), sum, 1e-5f, what + ": the parts add up");
            }
            reranked += got.size();
          }
        }
      }
      assertTrue(reranked > 100, "reranked " + reranked + " hits");
    }
  }

  private static float[] vector(Random random) {
    float[] v = new float[8];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  /** The fused relevance's part goes to the text and meaning matches in the fusion's shares. */
  @Test
  void relevanceIsSplitByChannelAndThePartsStillAddUp() {
    Map<Feature, Float> parts = Map.of(Feature.RELEVANCE, 0.8f, Feature.TEXT, 0.1f);
    Map<Feature, Float> split = SearchReranker.relevanceByChannel(parts, 0.5f, 0.3f);
    assertEquals(Set.of(Feature.TEXT, Feature.VECTOR), split.keySet());
    assertEquals(0.1f + 0.48f, split.get(Feature.TEXT), 1e-6f, "its own part and 3/5 of 0.8");
    assertEquals(0.32f, split.get(Feature.VECTOR), 1e-6f);
    Map<Feature, Float> textOnly = SearchReranker.relevanceByChannel(parts, 0.5f, 0.5f);
    assertEquals(Set.of(Feature.TEXT), textOnly.keySet(), "all of it from the text");
    assertEquals(0.9f, textOnly.get(Feature.TEXT), 1e-6f);
    assertEquals(
        parts, SearchReranker.relevanceByChannel(parts, 0f, 0f), "nothing fused: left as it is");
    assertEquals(
        Map.of(Feature.RATING, 0.2f),
        SearchReranker.relevanceByChannel(Map.of(Feature.RATING, 0.2f), 0.5f, 0.1f));
  }

  @Test
  void aModelUsesTheFeaturesItWeighsOrSplitsOn() {
    assertTrue(RankingModel.SEARCH_DEFAULT.uses(Feature.RELEVANCE));
    assertTrue(!RankingModel.SEARCH_DEFAULT.uses(Feature.TITLE_COVERAGE));
  }
}
