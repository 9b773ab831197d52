package dev.magpie.bench.peers;

import dev.magpie.engine.embed.Embedder;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.learn.search.OpenSearchHybridQuery;
import dev.magpie.learn.search.OpenSearchHybridQuery.Fusion;
import dev.magpie.learn.search.SearchSystem;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * OpenSearch searched as its users search it for a hybrid ranking without the neural-search plugin
 * ({@link OpenSearchHybridQuery}: one {@code _msearch} of BM25 on the title and knn on the vector,
 * the query embedded by the same MiniLM model Magpie uses, fused on the client). The fusion is one
 * of {@link Fusion}; a row of the evaluation each.
 */
final class OpenSearchSystem implements SearchSystem {
  private final OpenSearchHttp http;
  private final String index;
  private final ItemStore items;
  private final Embedder embedder;
  private final Fusion fusion;
  private final int efSearch;

  /**
   * The query searched last and its fused scores by ordinal, for {@link #score} on the same query.
   */
  private String lastQuery;

  private Map<Integer, Float> lastFused = Map.of();

  OpenSearchSystem(
      OpenSearchHttp http,
      String index,
      ItemStore items,
      Embedder embedder,
      Fusion fusion,
      int efSearch) {
    this.http = http;
    this.index = index;
    this.items = items;
    this.embedder = embedder;
    this.fusion = fusion;
    this.efSearch = efSearch;
  }

  @Override
  public String name() {
    return "opensearch-" + fusion.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public int[] search(String query, int k) throws IOException {
    Map<Integer, Float> fused = fused(query, k);
    lastQuery = query;
    lastFused = fused;
    Integer[] order = fused.keySet().toArray(Integer[]::new);
    Arrays.sort(
        order,
        (a, b) ->
            !fused.get(a).equals(fused.get(b))
                ? Float.compare(fused.get(b), fused.get(a))
                : Integer.compare(a, b));
    return Arrays.stream(order).limit(k).mapToInt(Integer::intValue).toArray();
  }

  /**
   * The fused score of each of {@code ordinals} among the query's hits (0 for the rest): the judged
   * pool is ranked by what this system returned, not by every item's score.
   */
  @Override
  public float[] score(String query, int[] ordinals) throws IOException {
    Map<Integer, Float> fused = query.equals(lastQuery) ? lastFused : fused(query, 100);
    float[] out = new float[ordinals.length];
    for (int i = 0; i < ordinals.length; i++) {
      out[i] = fused.getOrDefault(ordinals[i], 0f);
    }
    return out;
  }

  /**
   * The query's fused scores by ordinal (ids the snapshot does not hold left out: none, when loaded
   * from it).
   */
  private Map<Integer, Float> fused(String query, int k) throws IOException {
    String body =
        OpenSearchHybridQuery.msearchBody(index, query, embedder.embed(query), k, efSearch);
    OpenSearchHybridQuery.Answer answer;
    try {
      answer = OpenSearchHybridQuery.read(http.ndjson("/_msearch", body));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted searching OpenSearch");
    }
    Map<Integer, Float> out = new HashMap<>();
    OpenSearchHybridQuery.fuse(answer, fusion)
        .forEach(
            (id, score) -> {
              int ordinal = items.ordinalOf(id);
              if (ordinal >= 0) {
                out.put(ordinal, score);
              }
            });
    return out;
  }
}
