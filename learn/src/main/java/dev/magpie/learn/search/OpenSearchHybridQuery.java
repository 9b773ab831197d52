package dev.magpie.learn.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hybrid search OpenSearch's users run without the neural-search plugin: one {@code _msearch}
 * holding a BM25 {@code match} on the title and a {@code knn} query on the vector, the two hit
 * lists fused on the client. The request's body, the answer read back and the fusions, shared by
 * the peer's evaluation and the load generator's OpenSearch target, so that both measure one
 * search.
 */
public final class OpenSearchHybridQuery {
  /**
   * Weight of the text list in {@link Fusion#LINEAR} (Magpie's default); the vector list's is the
   * rest.
   */
  public static final float TEXT_WEIGHT = 0.7f;

  /** The rank constant of {@link Fusion#RRF}. */
  public static final int RRF_K = 60;

  /** How the two lists become one. */
  public enum Fusion {
    /** BM25 alone (the knn half of the msearch still runs: the same request every row). */
    BM25,
    /** The knn hits alone. */
    KNN,
    /** Each list's scores min-max normalised, then 0.7 x text + 0.3 x vector. */
    LINEAR,
    /** Reciprocal rank fusion, k 60, equal weights. */
    RRF
  }

  /**
   * One list's hits, best first.
   *
   * @param ids the documents' ids
   * @param scores their scores
   */
  public record Hits(String[] ids, float[] scores) {}

  /**
   * What the msearch answered.
   *
   * @param text the BM25 hits
   * @param knn the knn hits
   * @param partial whether either search timed out or missed a shard: a degraded answer
   */
  public record Answer(Hits text, Hits knn, boolean partial) {}

  /** A search of the msearch that OpenSearch refused; {@link #status} is its HTTP status. */
  public static final class RefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;

    /** A refusal with {@code status} and OpenSearch's {@code error}. */
    public RefusedException(int status, String error) {
      super("OpenSearch refused the search: HTTP " + status + ": " + error);
      this.status = status;
    }

    /** The HTTP status (429 when OpenSearch's search queue was full). */
    public int status() {
      return status;
    }
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private OpenSearchHybridQuery() {}

  /**
   * The ndjson body of the {@code _msearch} for {@code query} against {@code index}: {@code k} hits
   * of BM25 on the title, {@code k} of knn for {@code vector} with {@code efSearch}; ids and scores
   * only ({@code _source} off).
   */
  public static String msearchBody(
      String index, String query, float[] vector, int k, int efSearch) {
    ObjectNode match = NODES.objectNode();
    match.put("size", k);
    match.put("_source", false);
    match.putObject("query").putObject("match").put("title", query);
    ObjectNode knn = NODES.objectNode();
    knn.put("size", k);
    knn.put("_source", false);
    ObjectNode field = knn.putObject("query").putObject("knn").putObject("vector");
    ArrayNode array = field.putArray("vector");
    for (float v : vector) {
      array.add(v);
    }
    field.put("k", k);
    field.putObject("method_parameters").put("ef_search", efSearch);
    String header = NODES.objectNode().put("index", index).toString();
    return header + "\n" + match + "\n" + header + "\n" + knn + "\n";
  }

  /**
   * Reads the msearch's {@code answer}: its two hit lists, and whether either was partial.
   *
   * @throws RefusedException when either search was refused
   * @throws IOException when the answer does not hold two responses
   */
  public static Answer read(JsonNode answer) throws IOException {
    JsonNode responses = answer.path("responses");
    if (responses.size() != 2) {
      throw new IOException("an _msearch of two searches answered " + responses.size());
    }
    Hits[] lists = new Hits[2];
    boolean partial = false;
    for (int r = 0; r < 2; r++) {
      JsonNode response = responses.get(r);
      if (response.has("error")) {
        throw new RefusedException(
            response.path("status").asInt(500), response.get("error").toString());
      }
      partial |=
          response.path("timed_out").asBoolean()
              || response.path("_shards").path("failed").asInt() > 0;
      JsonNode hits = response.path("hits").path("hits");
      String[] ids = new String[hits.size()];
      float[] scores = new float[hits.size()];
      for (int i = 0; i < hits.size(); i++) {
        ids[i] = hits.get(i).path("_id").asText();
        scores[i] = (float) hits.get(i).path("_score").asDouble();
      }
      lists[r] = new Hits(ids, scores);
    }
    return new Answer(lists[0], lists[1], partial);
  }

  /** The fused score of every id in either list of {@code answer} by {@code fusion}. */
  public static Map<String, Float> fuse(Answer answer, Fusion fusion) {
    Hits text = answer.text();
    Hits knn = answer.knn();
    Map<String, Float> out = new HashMap<>();
    switch (fusion) {
      case BM25 -> add(out, text.ids(), text.scores(), 1f);
      case KNN -> add(out, knn.ids(), knn.scores(), 1f);
      case LINEAR -> {
        add(out, text.ids(), minMax(text.scores()), TEXT_WEIGHT);
        add(out, knn.ids(), minMax(knn.scores()), 1f - TEXT_WEIGHT);
      }
      case RRF -> {
        addRanks(out, text.ids());
        addRanks(out, knn.ids());
      }
    }
    return out;
  }

  /** The ids of the {@code k} best of {@code fused}, best first (ties by id). */
  public static List<String> top(Map<String, Float> fused, int k) {
    List<Map.Entry<String, Float>> entries = new ArrayList<>(fused.entrySet());
    entries.sort(
        (a, b) ->
            !a.getValue().equals(b.getValue())
                ? Float.compare(b.getValue(), a.getValue())
                : a.getKey().compareTo(b.getKey()));
    List<String> out = new ArrayList<>(Math.min(k, entries.size()));
    for (int i = 0; i < Math.min(k, entries.size()); i++) {
      out.add(entries.get(i).getKey());
    }
    return out;
  }

  private static void add(Map<String, Float> out, String[] ids, float[] scores, float weight) {
    for (int i = 0; i < ids.length; i++) {
      out.merge(ids[i], weight * scores[i], Float::sum);
    }
  }

  private static void addRanks(Map<String, Float> out, String[] ids) {
    for (int r = 0; r < ids.length; r++) {
      out.merge(ids[r], 1f / (RRF_K + r + 1), Float::sum);
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
