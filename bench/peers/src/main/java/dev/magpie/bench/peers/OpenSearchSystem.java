package dev.magpie.bench.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.magpie.engine.embed.Embedder;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.learn.search.SearchSystem;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenSearch searched as its users search it for a hybrid ranking without the neural-search plugin:
 * one {@code _msearch} per query holding a BM25 {@code match} on the title (English analyzer) and a
 * {@code knn} query on the vector (the query embedded by the same MiniLM model Magpie uses), fused
 * on the client. The fusion is one of {@link Fusion}; a row of the evaluation each.
 */
final class OpenSearchSystem implements SearchSystem {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How the two lists become one. */
  enum Fusion {
    /** BM25 alone (the knn half of the msearch still runs: the same request every row). */
    BM25,
    /** The knn hits alone. */
    KNN,
    /** Each list's scores min-max normalised, then 0.7 x text + 0.3 x vector (Magpie's default). */
    LINEAR,
    /** Reciprocal rank fusion, k 60, equal weights. */
    RRF
  }

  private final OpenSearchHttp http;
  private final String index;
  private final ItemStore items;
  private final Embedder embedder;
  private final Fusion fusion;
  private final int efSearch;

  /** The query searched last and its fused scores, for {@link #score} on the same query. */
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
    return "opensearch-" + fusion.name().toLowerCase(java.util.Locale.ROOT);
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

  private Map<Integer, Float> fused(String query, int k) throws IOException {
    float[] vector = embedder.embed(query);
    ObjectNode match = JSON.createObjectNode();
    match.put("size", k);
    match.put("_source", false);
    match.putObject("query").putObject("match").put("title", query);
    ObjectNode knn = JSON.createObjectNode();
    knn.put("size", k);
    knn.put("_source", false);
    ObjectNode field = knn.putObject("query").putObject("knn").putObject("vector");
    var array = field.putArray("vector");
    for (float v : vector) {
      array.add(v);
    }
    field.put("k", k);
    field.putObject("method_parameters").put("ef_search", efSearch);
    String header = "{\"index\":\"" + index + "\"}";
    String body = header + "\n" + match + "\n" + header + "\n" + knn + "\n";
    JsonNode answer;
    try {
      answer = http.ndjson("/_msearch", body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted searching OpenSearch");
    }
    List<int[]> ordinals = new ArrayList<>();
    List<float[]> scores = new ArrayList<>();
    for (JsonNode response : answer.path("responses")) {
      if (response.has("error")) {
        throw new IOException("OpenSearch refused '" + query + "': " + response.get("error"));
      }
      JsonNode hits = response.path("hits").path("hits");
      int[] o = new int[hits.size()];
      float[] s = new float[hits.size()];
      for (int i = 0; i < hits.size(); i++) {
        o[i] = items.ordinalOf(hits.get(i).path("_id").asText());
        s[i] = (float) hits.get(i).path("_score").asDouble();
      }
      ordinals.add(o);
      scores.add(s);
    }
    return fuse(ordinals.get(0), scores.get(0), ordinals.get(1), scores.get(1));
  }

  private Map<Integer, Float> fuse(int[] text, float[] textScores, int[] knn, float[] knnScores) {
    Map<Integer, Float> out = new HashMap<>();
    switch (fusion) {
      case BM25 -> add(out, text, textScores, 1f);
      case KNN -> add(out, knn, knnScores, 1f);
      case LINEAR -> {
        add(out, text, minMax(textScores), 0.7f);
        add(out, knn, minMax(knnScores), 0.3f);
      }
      case RRF -> {
        for (int r = 0; r < text.length; r++) {
          out.merge(text[r], 1f / (60 + r + 1), Float::sum);
        }
        for (int r = 0; r < knn.length; r++) {
          out.merge(knn[r], 1f / (60 + r + 1), Float::sum);
        }
      }
    }
    out.remove(-1); // an id the snapshot does not hold (never, when loaded from it)
    return out;
  }

  private static void add(Map<Integer, Float> out, int[] ordinals, float[] scores, float weight) {
    for (int i = 0; i < ordinals.length; i++) {
      out.merge(ordinals[i], weight * scores[i], Float::sum);
    }
  }

  /** Scores mapped to [0, 1] by the list's own least and greatest (all 1 when they are equal). */
  static float[] minMax(float[] scores) {
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float s : scores) {
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    float[] out = new float[scores.length];
    for (int i = 0; i < scores.length; i++) {
      out[i] = max > min ? (scores[i] - min) / (max - min) : 1f;
    }
    return out;
  }
}
