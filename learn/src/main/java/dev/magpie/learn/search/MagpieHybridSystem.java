package dev.magpie.learn.search;

import dev.magpie.engine.search.Fusion;
import dev.magpie.engine.search.HybridHit;
import dev.magpie.engine.search.HybridSearcher;
import dev.magpie.engine.search.SearchRequest;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Magpie's hybrid search as shipped (understanding, both channels, fusion), the query embedded
 * inside the timed search. Scores given items with the fused score of a search deep enough to hold
 * them (0 for items it does not reach).
 */
public final class MagpieHybridSystem implements SearchSystem {
  private final String name;
  private final HybridSearcher searcher;
  private final Fusion fusion;

  /** Hybrid search by {@code searcher} fused with {@code fusion}. */
  public MagpieHybridSystem(String name, HybridSearcher searcher, Fusion fusion) {
    this.name = name;
    this.searcher = searcher;
    this.fusion = fusion;
  }

  @Override
  public String name() {
    return name;
  }

  private SearchRequest request(String query, int k) {
    return SearchRequest.of(query, k).withExplanations(false);
  }

  @Override
  public int[] search(String query, int k) throws IOException {
    try {
      return searcher.search(request(query, k), fusion).hits().stream()
          .mapToInt(HybridHit::ordinal)
          .toArray();
    } catch (IllegalArgumentException nothingToSearch) {
      return new int[0];
    }
  }

  @Override
  public float[] score(String query, int[] ordinals) throws IOException {
    float[] scores = new float[ordinals.length];
    Map<Integer, Float> fused = new HashMap<>();
    try {
      for (HybridHit hit : searcher.search(request(query, SearchRequest.MAX_K), fusion).hits()) {
        fused.put(hit.ordinal(), hit.score());
      }
    } catch (IllegalArgumentException nothingToSearch) {
      return scores;
    }
    for (int i = 0; i < ordinals.length; i++) {
      scores[i] = fused.getOrDefault(ordinals[i], 0f);
    }
    return scores;
  }
}
