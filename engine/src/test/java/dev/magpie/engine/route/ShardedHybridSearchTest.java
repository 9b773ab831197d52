package dev.magpie.engine.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.search.Fusion;
import dev.magpie.engine.search.HybridHit;
import dev.magpie.engine.search.HybridResult;
import dev.magpie.engine.search.HybridSearcher;
import dev.magpie.engine.search.SearchRequest;
import dev.magpie.engine.search.SearchReranker;
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
 * Hybrid search routed over shards (each shard's candidates with both channels' scores, fused and
 * reranked once over all of them) equals the single node's hybrid search and reranking: same items,
 * same order, same scores, for 1, 2 and 4 shards, linear and reciprocal-rank fusion, with and
 * without the reranker. The catalog is small enough that every vector search is exhaustive, so any
 * difference would be the router's, not the graph's.
 */
@Seeded
class ShardedHybridSearchTest {
  private static final String[] WORDS = {
    "trail", "running", "shoe", "boot", "hiking", "waterproof", "knife", "chef", "steel", "pan",
    "copper", "pipe", "valve", "drill", "cordless", "hammer", "lamp", "led", "tent", "dome"
  };
  private static final int DIM = 12;

  @TempDir Path tmp;

  private static float[] vector(Random random, float[][] centres) {
    float[] centre = centres[random.nextInt(centres.length)];
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = centre[i] + (float) random.nextGaussian() * 0.3f;
    }
    return v;
  }

  private static List<Item> catalog(Random random, int count, float[][] centres) {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Item copy = i % 25 == 9 && i > 0 ? items.get(random.nextInt(items.size())) : null;
      StringBuilder title = new StringBuilder();
      for (int w = 1 + random.nextInt(4); w > 0; w--) {
        title.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
      }
      items.add(
          new Item(
              "h-" + i,
              copy != null ? copy.title() : title.toString().strip(),
              "",
              random.nextBoolean() ? "Fleetfoot" : "Northpeak",
              random.nextBoolean() ? "Tools" : "Outdoors",
              random.nextInt(10_000),
              "USD",
              random.nextInt(5),
              random.nextInt(51) / 10f,
              Map.of(),
              copy != null ? copy.vector() : vector(random, centres)));
    }
    return items;
  }

  @Test
  void routedHybridSearchEqualsTheSingleNodes(Random random) throws IOException {
    float[][] centres = new float[6][DIM];
    for (float[] c : centres) {
      for (int i = 0; i < DIM; i++) {
        c[i] = (float) random.nextGaussian();
      }
    }
    List<Item> items = catalog(random, 140, centres);
    Fusion rrf = new Fusion(Fusion.Method.RRF, 0.7f, 0.3f, 100);
    int compared = 0;
    try (Snapshot single = TestSnapshots.build(tmp.resolve("single"), items)) {
      HybridSearcher oracle = new HybridSearcher(single, null);
      SearchReranker reranker = new SearchReranker(single, RankingModel.SEARCH_DEFAULT);
      for (int shards : new int[] {1, 2, 4}) {
        List<Snapshot> parts =
            TestSnapshots.buildShards(tmp.resolve("s" + shards), items, shards, Knowledge.EMPTY);
        try {
          ShardedHybridSearch routed = new ShardedHybridSearch(parts, null);
          for (int q = 0; q < 40; q++) {
            String query =
                WORDS[random.nextInt(WORDS.length)]
                    + (random.nextBoolean() ? " " + WORDS[random.nextInt(WORDS.length)] : "")
                    + (q % 7 == 0 ? " chefknif" : "");
            float[] vector = vector(random, centres);
            int k = 1 + random.nextInt(15);
            for (Fusion fusion : List.of(Fusion.DEFAULT, rrf)) {
              for (boolean rerank : new boolean[] {false, true}) {
                int depth = rerank ? Math.max(k, 30) : k;
                SearchRequest request = SearchRequest.of(query, k).withExplanations(false);
                List<String> expected = new ArrayList<>();
                List<Float> expectedScores = new ArrayList<>();
                try (View view = single.views().acquire()) {
                  HybridResult result = oracle.search(view, request.withK(depth), vector, fusion);
                  if (rerank) {
                    for (SearchReranker.RankedHit h : reranker.rerank(view, result, k)) {
                      expected.add(h.hit().externalId());
                      expectedScores.add(h.score());
                    }
                  } else {
                    for (HybridHit h : result.hits()) {
                      expected.add(h.externalId());
                      expectedScores.add(h.score());
                    }
                  }
                }
                RoutedSearch.Answer answer =
                    routed.search(
                        request,
                        vector,
                        fusion,
                        depth,
                        rerank ? RankingModel.SEARCH_DEFAULT : null);
                String what =
                    shards
                        + " shards, "
                        + fusion.method()
                        + ", rerank "
                        + rerank
                        + ", '"
                        + query
                        + "'";
                List<String> actual = new ArrayList<>();
                for (RoutedSearch.Hit h : answer.hits()) {
                  actual.add(h.id());
                }
                assertEquals(expected, actual, what);
                for (int i = 0; i < expected.size(); i++) {
                  assertEquals(expectedScores.get(i), answer.hits().get(i).score(), 1e-5f, what);
                }
                compared++;
              }
            }
          }
        } finally {
          for (Snapshot p : parts) {
            p.close();
          }
        }
      }
    }
    assertTrue(compared >= 480, compared + " answers compared");
  }
}
