package dev.magpie.learn.search;

import dev.magpie.engine.route.RoutedSearch;
import dev.magpie.engine.route.ShardedHybridSearch;
import dev.magpie.engine.search.Fusion;
import dev.magpie.engine.search.SearchRequest;
import dev.magpie.engine.snapshot.ItemStore;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Magpie's hybrid search answered over the shards of a catalog and fused as a router fuses ({@link
 * ShardedHybridSearch}: every shard's candidates with both channels' scores, fused over all of
 * them), its hits named by their ordinals in an unsharded snapshot of the same catalog: to show how
 * close the shards come to the single node (their vector graphs differ; the rest is exact).
 */
public final class ShardedHybridSystem implements SearchSystem {
  private final String name;
  private final ShardedHybridSearch shards;
  private final ItemStore single;
  private final Fusion fusion;

  /**
   * @param shards the catalog's shards
   * @param single the unsharded snapshot's items, whose ordinals name hits
   */
  public ShardedHybridSystem(
      String name, ShardedHybridSearch shards, ItemStore single, Fusion fusion) {
    this.name = name;
    this.shards = shards;
    this.single = single;
    this.fusion = fusion;
  }

  @Override
  public String name() {
    return name;
  }

  private List<RoutedSearch.Hit> hits(String query, int k) throws IOException {
    return shards
        .search(SearchRequest.of(query, k).withExplanations(false), null, fusion, k, null)
        .hits();
  }

  @Override
  public int[] search(String query, int k) throws IOException {
    return ShardedBm25System.ordinals(single, hits(query, k).stream().map(RoutedSearch.Hit::id));
  }

  @Override
  public float[] score(String query, int[] ordinals) throws IOException {
    Map<String, Float> fused = new HashMap<>();
    for (RoutedSearch.Hit h : hits(query, SearchRequest.MAX_K)) {
      fused.put(h.id(), h.score());
    }
    float[] scores = new float[ordinals.length];
    for (int i = 0; i < ordinals.length; i++) {
      scores[i] = fused.getOrDefault(single.externalId(ordinals[i]), 0f);
    }
    return scores;
  }
}
