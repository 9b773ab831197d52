package dev.magpie.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paid placement must not touch organic search: the same catalog with a random third of its items
 * marked sponsored answers every query with the same hits, scores, order and score parts, under
 * every ranking model (the default one, and models that read every per-item feature a model can
 * weigh: rating, title matching, the channels), hybrid search and rerank alike. The sponsored flag
 * is disclosed on the item and read by nothing that ranks.
 */
@Seeded
class SponsoredSearchTest {
  private static final String[] WORDS = {
    "trail", "running", "shoe", "boot", "hiking", "waterproof", "tent", "stove", "lantern", "mat"
  };

  @TempDir Path tmp;

  @Test
  void markingItemsSponsoredChangesNoSearchScoreOrderOrPart(Random random) throws IOException {
    List<Item> plain = new ArrayList<>();
    List<Item> paid = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      StringBuilder title = new StringBuilder();
      for (int w = 1 + random.nextInt(4); w > 0; w--) {
        title.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
      }
      float[] vector = new float[8];
      for (int d = 0; d < vector.length; d++) {
        vector[d] = (float) random.nextGaussian();
      }
      Item item =
          new Item(
              "s-" + i,
              title.toString().strip(),
              "",
              random.nextBoolean() ? "Fleetfoot" : "Northpeak",
              "Outdoors",
              500 + random.nextInt(10_000),
              "USD",
              random.nextInt(5),
              random.nextInt(51) / 10f,
              Map.of(),
              vector);
      plain.add(item);
      paid.add(item.withSponsored(random.nextInt(3) == 0));
    }
    List<RankingModel> models =
        List.of(
            RankingModel.SEARCH_DEFAULT,
            new RankingModel(
                "every-item-feature",
                Map.of(
                    Feature.RELEVANCE, 1f,
                    Feature.RATING, 0.4f,
                    Feature.TITLE_COVERAGE, 0.5f,
                    Feature.TITLE_RARE_WORDS, 0.2f,
                    Feature.TEXT, 0.3f,
                    Feature.VECTOR, 0.3f,
                    Feature.TEXT_RANK, 0.1f,
                    Feature.VECTOR_RANK, 0.1f)));
    int sponsoredShown = 0;
    try (Snapshot a = TestSnapshots.build(tmp.resolve("plain"), plain);
        Snapshot b = TestSnapshots.build(tmp.resolve("paid"), paid)) {
      HybridSearcher searchA = new HybridSearcher(a, null);
      HybridSearcher searchB = new HybridSearcher(b, null);
      for (int q = 0; q < 25; q++) {
        String query =
            WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)];
        float[] queryVector = new float[8];
        for (int d = 0; d < queryVector.length; d++) {
          queryVector[d] = (float) random.nextGaussian();
        }
        try (View va = a.views().acquire();
            View vb = b.views().acquire()) {
          HybridResult ra =
              searchA.search(va, SearchRequest.of(query, 30), queryVector, Fusion.DEFAULT);
          HybridResult rb =
              searchB.search(vb, SearchRequest.of(query, 30), queryVector, Fusion.DEFAULT);
          assertEquals(ra.hits(), rb.hits(), "hybrid '" + query + "'");
          for (RankingModel model : models) {
            List<SearchReranker.RankedHit> x = new SearchReranker(a, model).rerank(va, ra, 10);
            List<SearchReranker.RankedHit> y = new SearchReranker(b, model).rerank(vb, rb, 10);
            String what = model.name() + " '" + query + "'";
            assertEquals(x.size(), y.size(), what);
            for (int i = 0; i < x.size(); i++) {
              assertEquals(x.get(i).hit(), y.get(i).hit(), what + " rank " + i);
              assertEquals(x.get(i).score(), y.get(i).score(), what + " rank " + i);
              assertEquals(x.get(i).parts(), y.get(i).parts(), what + " rank " + i);
              sponsoredShown += vb.items().sponsored(y.get(i).hit().ordinal()) ? 1 : 0;
            }
          }
        }
      }
    }
    assertTrue(sponsoredShown > 0, "sponsored items were among the hits, ranked as any other");
  }
}
