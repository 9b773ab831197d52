package dev.magpie.learn.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.magpie.learn.search.OpenSearchHybridQuery.Answer;
import dev.magpie.learn.search.OpenSearchHybridQuery.Fusion;
import dev.magpie.learn.search.OpenSearchHybridQuery.Hits;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The peer's msearch: the body OpenSearch is sent, its answer read back, the fusions. */
class OpenSearchHybridQueryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theBodyHoldsAMatchAndAKnnSearchOfTheIndex() throws IOException {
    String body =
        OpenSearchHybridQuery.msearchBody(
            "catalog", "cordless \"drill\"", new float[] {0.5f, -1f}, 7, 160);
    String[] lines = body.split("\n");
    assertEquals(4, lines.length, body);
    assertTrue(body.endsWith("\n"), "ndjson ends with a newline");
    assertEquals("catalog", JSON.readTree(lines[0]).path("index").asText());
    assertEquals("catalog", JSON.readTree(lines[2]).path("index").asText());
    JsonNode match = JSON.readTree(lines[1]);
    assertEquals(7, match.path("size").asInt());
    assertFalse(match.path("_source").asBoolean(true));
    assertEquals("cordless \"drill\"", match.path("query").path("match").path("title").asText());
    JsonNode knn = JSON.readTree(lines[3]).path("query").path("knn").path("vector");
    assertEquals(7, knn.path("k").asInt());
    assertEquals(160, knn.path("method_parameters").path("ef_search").asInt());
    assertEquals(2, knn.path("vector").size());
    assertEquals(-1.0, knn.path("vector").get(1).asDouble());
  }

  @Test
  void anAnswerIsReadBackWithItsPartialFlag() throws IOException {
    ObjectNode answer = answer(response("a", 2f, "b", 1f), response("c", 0.9f));
    Answer read = OpenSearchHybridQuery.read(answer);
    assertArrayEquals(new String[] {"a", "b"}, read.text().ids());
    assertArrayEquals(new float[] {2f, 1f}, read.text().scores());
    assertArrayEquals(new String[] {"c"}, read.knn().ids());
    assertFalse(read.partial());

    ((ObjectNode) answer.path("responses").get(1)).put("timed_out", true);
    assertTrue(OpenSearchHybridQuery.read(answer).partial(), "a search that timed out");
    ObjectNode missedShard = answer(response("a", 1f), response("c", 1f));
    ((ObjectNode) missedShard.path("responses").get(0)).putObject("_shards").put("failed", 1);
    assertTrue(OpenSearchHybridQuery.read(missedShard).partial(), "a shard that failed");
  }

  @Test
  void aRefusedSearchThrowsWithItsStatusAndAShortAnswerIsAnError() {
    ObjectNode refused = JSON.createObjectNode();
    refused.putObject("error").put("type", "es_rejected_execution_exception");
    refused.put("status", 429);
    OpenSearchHybridQuery.RefusedException e =
        assertThrows(
            OpenSearchHybridQuery.RefusedException.class,
            () -> OpenSearchHybridQuery.read(answer(response("a", 1f), refused)));
    assertEquals(429, e.status());
    assertTrue(e.getMessage().contains("es_rejected_execution_exception"), e.getMessage());
    IOException shortAnswer =
        assertThrows(
            IOException.class, () -> OpenSearchHybridQuery.read(answer(response("a", 1f))));
    assertTrue(shortAnswer.getMessage().contains("answered 1"), shortAnswer.getMessage());
  }

  @Test
  void fusionsMatchTheirDefinitionsOnRandomLists() {
    long seed = System.nanoTime();
    System.out.println("OpenSearchHybridQueryTest seed " + seed);
    Random random = new Random(seed);
    for (int round = 0; round < 200; round++) {
      Hits text = randomHits(random);
      Hits knn = randomHits(random);
      Answer answer = new Answer(text, knn, false);
      Map<String, Double> linear = new HashMap<>();
      Map<String, Double> rrf = new HashMap<>();
      addLinear(linear, text, 0.7);
      addLinear(linear, knn, 0.3);
      for (Hits h : new Hits[] {text, knn}) {
        for (int r = 0; r < h.ids().length; r++) {
          rrf.merge(h.ids()[r], 1.0 / (60 + r + 1), Double::sum);
        }
      }
      assertClose(linear, OpenSearchHybridQuery.fuse(answer, Fusion.LINEAR), seed);
      assertClose(rrf, OpenSearchHybridQuery.fuse(answer, Fusion.RRF), seed);
      Map<String, Float> bm25 = OpenSearchHybridQuery.fuse(answer, Fusion.BM25);
      assertEquals(distinct(text.ids()), bm25.size(), "seed " + seed);
      Map<String, Float> knnOnly = OpenSearchHybridQuery.fuse(answer, Fusion.KNN);
      assertEquals(distinct(knn.ids()), knnOnly.size(), "seed " + seed);
    }
  }

  @Test
  void topKeepsTheBestKWithTiesById() {
    Map<String, Float> fused = Map.of("b", 0.5f, "a", 0.5f, "c", 0.9f, "d", 0.1f);
    assertEquals(List.of("c", "a", "b"), OpenSearchHybridQuery.top(fused, 3));
    assertEquals(List.of("c", "a", "b", "d"), OpenSearchHybridQuery.top(fused, 10));
    assertEquals(List.of(), OpenSearchHybridQuery.top(Map.of(), 5));
  }

  @Test
  void minMaxMapsOntoZeroToOneAndEqualScoresToOne() {
    assertArrayEquals(
        new float[] {1f, 0.5f, 0f}, OpenSearchHybridQuery.minMax(new float[] {4f, 3f, 2f}));
    assertArrayEquals(new float[] {1f, 1f}, OpenSearchHybridQuery.minMax(new float[] {2f, 2f}));
    assertArrayEquals(new float[0], OpenSearchHybridQuery.minMax(new float[0]));
  }

  private static void addLinear(Map<String, Double> out, Hits hits, double weight) {
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (float s : hits.scores()) {
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    for (int i = 0; i < hits.ids().length; i++) {
      double normalised = max > min ? (hits.scores()[i] - min) / (max - min) : 1;
      out.merge(hits.ids()[i], weight * normalised, Double::sum);
    }
  }

  private static void assertClose(
      Map<String, Double> expected, Map<String, Float> actual, long seed) {
    assertEquals(expected.keySet(), actual.keySet(), "seed " + seed);
    expected.forEach(
        (id, score) -> assertEquals(score, actual.get(id), 1e-5, id + ", seed " + seed));
  }

  private static long distinct(String[] ids) {
    return Arrays.stream(ids).distinct().count();
  }

  /** Up to 20 hits from 30 ids, best first, scores descending (ties possible). */
  private static Hits randomHits(Random random) {
    int n = random.nextInt(21);
    String[] ids = new String[n];
    float[] scores = new float[n];
    float score = 10 * random.nextFloat();
    for (int i = 0; i < n; i++) {
      ids[i] = "id" + random.nextInt(30);
      scores[i] = score;
      score -= random.nextInt(3) == 0 ? 0 : random.nextFloat();
    }
    // OpenSearch never lists a document twice in one hit list.
    LinkedHashMap<String, Float> unique = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      unique.putIfAbsent(ids[i], scores[i]);
    }
    String[] u = unique.keySet().toArray(String[]::new);
    float[] s = new float[u.length];
    for (int i = 0; i < u.length; i++) {
      s[i] = unique.get(u[i]);
    }
    return new Hits(u, s);
  }

  private static ObjectNode answer(ObjectNode... responses) {
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode array = answer.putArray("responses");
    for (ObjectNode r : responses) {
      array.add(r);
    }
    return answer;
  }

  /** A response whose hits are id, score pairs. */
  private static ObjectNode response(Object... idScore) {
    ObjectNode response = JSON.createObjectNode();
    response.put("timed_out", false);
    response.putObject("_shards").put("total", 1).put("failed", 0);
    ArrayNode hits = response.putObject("hits").putArray("hits");
    for (int i = 0; i < idScore.length; i += 2) {
      hits.addObject().put("_id", (String) idScore[i]).put("_score", (Float) idScore[i + 1]);
    }
    return response;
  }
}
