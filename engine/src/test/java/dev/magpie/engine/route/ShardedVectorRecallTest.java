package dev.magpie.engine.route;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.search.SearchFilters;
import dev.magpie.engine.search.SearchHit;
import dev.magpie.engine.search.VectorSearchRequest;
import dev.magpie.engine.search.VectorSearcher;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.View;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.TestSnapshots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vector channel over shards (each shard's HNSW graph searched at the same beam width, the
 * shards' hits merged by similarity) finds the true nearest neighbours at least as often as the
 * single node's graph over the whole catalog. The oracle is an exact scan of every vector.
 */
@Seeded
class ShardedVectorRecallTest {
  private static final int DIM = 24;
  private static final int K = 10;
  private static final int EF = 12;

  @TempDir Path tmp;

  private static float[] random(Random random) {
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
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

  private static Set<String> ids(List<SearchHit> hits) {
    Set<String> out = new HashSet<>();
    for (SearchHit h : hits.subList(0, Math.min(K, hits.size()))) {
      out.add(h.externalId());
    }
    return out;
  }

  @Test
  void shardsRecallAtLeastWhatOneGraphDoes(Random random) throws IOException {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      items.add(
          new Item(
              "v-" + i,
              "item " + i,
              "",
              "",
              "",
              Item.UNKNOWN_PRICE,
              "",
              Item.UNKNOWN_STOCK,
              Float.NaN,
              Map.of(),
              random(random)));
    }
    try (Snapshot single = TestSnapshots.build(tmp.resolve("single"), items)) {
      List<Snapshot> parts =
          TestSnapshots.buildShards(tmp.resolve("s4"), items, 4, Knowledge.EMPTY);
      try {
        VectorSearcher whole = new VectorSearcher(single, null);
        List<VectorSearcher> shards = new ArrayList<>();
        for (Snapshot p : parts) {
          shards.add(new VectorSearcher(p, null));
        }
        double singleFound = 0;
        double shardedFound = 0;
        int queries = 100;
        for (int q = 0; q < queries; q++) {
          float[] query = random(random);
          List<Item> exact = new ArrayList<>(items);
          exact.sort(Comparator.comparingDouble((Item it) -> -cosine(it.vector(), query)));
          Set<String> truth = new HashSet<>();
          for (Item it : exact.subList(0, K)) {
            truth.add(it.externalId());
          }
          VectorSearchRequest request =
              new VectorSearchRequest("", query, K, EF, SearchFilters.NONE);
          Set<String> found = ids(whole.search(request).hits());
          found.retainAll(truth);
          singleFound += found.size();
          List<SearchHit> merged = new ArrayList<>();
          for (int s = 0; s < shards.size(); s++) {
            try (View view = parts.get(s).views().acquire()) {
              merged.addAll(shards.get(s).search(view, request).hits());
            }
          }
          merged.sort(Comparator.comparingDouble((SearchHit h) -> -h.score()));
          Set<String> routed = ids(merged);
          routed.retainAll(truth);
          shardedFound += routed.size();
        }
        double singleRecall = singleFound / (queries * K);
        double shardedRecall = shardedFound / (queries * K);
        System.out.printf(
            "recall@%d at ef %d: single graph %.3f, 4 shards %.3f%n",
            K, EF, singleRecall, shardedRecall);
        assertTrue(
            singleRecall < 1.0, "the single graph misses some (else the test shows nothing)");
        assertTrue(
            shardedRecall >= singleRecall - 0.01,
            "4 shards " + shardedRecall + " < single " + singleRecall);
      } finally {
        for (Snapshot p : parts) {
          p.close();
        }
      }
    }
  }
}
