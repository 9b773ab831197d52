package dev.magpie.learn.search;

import dev.magpie.engine.search.Fusion;
import dev.magpie.engine.search.HybridResult;
import dev.magpie.engine.search.HybridSearcher;
import dev.magpie.engine.search.SearchRequest;
import dev.magpie.engine.search.SearchReranker;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Magpie's hybrid search followed by the trained reranker: the top {@code depth} fused hits are
 * reordered by the model and the first k returned, all inside the timed search. Given items are
 * scored by their reranked position (0 for items beyond the depth).
 */
public final class MagpieRerankedSystem implements SearchSystem {
  private final String name;
  private final HybridSearcher searcher;
  private final Fusion fusion;
  private final SearchReranker reranker;
  private final int depth;

  /**
   * Hybrid search by {@code searcher}, its top {@code depth} hits reordered by {@code reranker}.
   */
  public MagpieRerankedSystem(
      String name, HybridSearcher searcher, Fusion fusion, SearchReranker reranker, int depth) {
    this.name = name;
    this.searcher = searcher;
    this.fusion = fusion;
    this.reranker = reranker;
    this.depth = depth;
  }

  @Override
  public String name() {
    return name;
  }

  private List<SearchReranker.RankedHit> ranked(String query, int k) throws IOException {
    HybridResult result;
    try {
      result =
          searcher.search(
              SearchRequest.of(query, Math.max(k, depth)).withExplanations(false), fusion);
    } catch (IllegalArgumentException nothingToSearch) {
      return List.of();
    }
    return reranker.rerank(result, k);
  }

  @Override
  public int[] search(String query, int k) throws IOException {
    return ranked(query, k).stream().mapToInt(h -> h.hit().ordinal()).toArray();
  }

  @Override
  public float[] score(String query, int[] ordinals) throws IOException {
    List<SearchReranker.RankedHit> ranked = ranked(query, depth);
    Map<Integer, Float> byPosition = new HashMap<>();
    for (int i = 0; i < ranked.size(); i++) {
      byPosition.put(ranked.get(i).hit().ordinal(), (float) (ranked.size() - i));
    }
    float[] scores = new float[ordinals.length];
    for (int i = 0; i < ordinals.length; i++) {
      scores[i] = byPosition.getOrDefault(ordinals[i], 0f);
    }
    return scores;
  }
}
