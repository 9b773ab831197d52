package dev.magpie.learn.search;

import dev.magpie.engine.search.FieldScoring;
import dev.magpie.engine.search.SearchHit;
import dev.magpie.engine.search.SearchRequest;
import dev.magpie.engine.search.SearchResult;
import dev.magpie.engine.search.TextSearcher;
import java.io.IOException;
import java.util.List;

/**
 * Magpie's BM25 search as shipped: understanding, product analysis, field weights, typo fallback.
 */
public final class MagpieBm25System implements SearchSystem {
  private final TextSearcher searcher;
  private final FieldScoring scoring;
  private final String name;
  private final boolean fuzzy;
  private final boolean understand;

  /** Magpie BM25 over {@code searcher} with {@code scoring}, typo fallback and understanding on. */
  public MagpieBm25System(String name, TextSearcher searcher, FieldScoring scoring) {
    this(name, searcher, scoring, true, true);
  }

  /** Magpie BM25 with typo fallback and query understanding switched as given (for ablations). */
  public MagpieBm25System(
      String name, TextSearcher searcher, FieldScoring scoring, boolean fuzzy, boolean understand) {
    this.name = name;
    this.searcher = searcher;
    this.scoring = scoring;
    this.fuzzy = fuzzy;
    this.understand = understand;
  }

  @Override
  public String name() {
    return name;
  }

  private SearchRequest request(String query, int k) {
    return SearchRequest.of(query, k)
        .withExplanations(false)
        .withFieldScoring(scoring)
        .withFuzzy(fuzzy)
        .withUnderstanding(understand);
  }

  @Override
  public int[] search(String query, int k) throws IOException {
    SearchResult result = searcher.search(request(query, k));
    List<SearchHit> hits = result.hits();
    int[] ordinals = new int[hits.size()];
    for (int i = 0; i < ordinals.length; i++) {
      ordinals[i] = hits.get(i).ordinal();
    }
    return ordinals;
  }

  @Override
  public float[] score(String query, int[] ordinals) throws IOException {
    return searcher.score(request(query, 1), ordinals);
  }
}
