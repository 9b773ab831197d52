package dev.magpie.bench.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.magpie.engine.embed.MiniLmEmbedder;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.learn.search.JudgedQueries;
import dev.magpie.learn.search.OpenSearchHybridQuery.Fusion;
import dev.magpie.learn.search.SearchEvaluation;
import dev.magpie.learn.search.SearchSystem;
import dev.magpie.learn.search.WarmupQueries;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.codelibs.opensearch.runner.OpenSearchRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts OpenSearch in this process, loads a Magpie snapshot's items (id, title, vector) into it,
 * and evaluates its BM25, knn and client-fused hybrids on judged queries with Magpie's own
 * evaluation code ({@link SearchEvaluation}): the rows to set beside {@code magpie eval search}'s.
 */
@Command(
    name = "opensearch-peer",
    mixinStandardHelpOptions = true,
    description =
        "Loads a snapshot into OpenSearch 3.5 in process and evaluates it on judged queries.")
public final class OpenSearchPeerCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INDEX = "catalog";

  @Option(names = "--snapshot", required = true, description = "Snapshot store with vectors.")
  Path snapshot;

  @Option(
      names = "--queries",
      description = "query_id<TAB>text; with --qrels, the judged queries to evaluate on.")
  Path queries;

  @Option(names = "--qrels", description = "query_id<TAB>item_id<TAB>rating")
  Path qrels;

  @Option(
      names = "--serve-s",
      defaultValue = "0",
      description =
          "After loading (and evaluating), keep serving on the HTTP port for this many seconds,"
              + " for magpie bench load --target opensearch; 0: stop (default ${DEFAULT-VALUE}).")
  int serveSeconds;

  @Option(
      names = "--data",
      defaultValue = "/tmp/magpie-opensearch",
      description = "OpenSearch's home and data (deleted first; default ${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--http-port",
      defaultValue = "9290",
      description = "Base HTTP port; the node listens on the next one (default ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(
      names = "--ef-search",
      defaultValue = "160",
      description = "knn ef_search, Magpie's default ef (default ${DEFAULT-VALUE}).")
  int efSearch;

  @Option(names = "--limit", defaultValue = "0", description = "Only the first N judged queries.")
  int limit;

  @Option(
      names = "--warmup",
      defaultValue = "200",
      description =
          "Untimed warm-up queries (titles' words), per system (default ${DEFAULT-VALUE}).")
  int warmup;

  /** Runs the command. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new OpenSearchPeerCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if ((queries == null) != (qrels == null) || (queries == null && serveSeconds <= 0)) {
      System.err.println(
          "opensearch-peer: give --queries with --qrels to evaluate, --serve-s to serve, or both");
      return 2;
    }
    deleteTree(data);
    Files.createDirectories(data);
    // The items alone: OpenSearch brings its own Lucene, older than the one that wrote the
    // snapshot's text index.
    try (Arena arena = Arena.ofShared();
        MiniLmEmbedder embedder = new MiniLmEmbedder();
        OpenSearchRunner runner = new OpenSearchRunner()) {
      ItemStore items = ItemStore.open(SnapshotStore.resolveVersionDir(snapshot), arena);
      if (items.vectorDimension() == 0) {
        System.err.println("opensearch-peer: " + snapshot + " has no vectors");
        return 2;
      }
      long started = System.nanoTime();
      runner.build(
          OpenSearchRunner.newConfigs()
              .basePath(data.toString())
              .numOfNode(1)
              .baseHttpPort(httpPort)
              .clusterName("magpie-peer")
              .pluginTypes("org.opensearch.knn.plugin.KNNPlugin"));
      runner.ensureYellow();
      System.out.printf(
          Locale.ROOT, "OpenSearch up in %.1f s%n", (System.nanoTime() - started) / 1e9);
      OpenSearchHttp http = new OpenSearchHttp(httpPort + 1);
      createIndex(http, items.vectorDimension());
      long loadStart = System.nanoTime();
      load(http, items);
      http.json("POST", "/" + INDEX + "/_refresh", null);
      http.json("POST", "/" + INDEX + "/_forcemerge?max_num_segments=1", null);
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "loaded %,d items in %.1f s (bulk, refresh, force merge to one segment); index %,d bytes%n",
          items.size(),
          loadSeconds,
          http.json("GET", "/" + INDEX + "/_stats/store", null)
              .path("_all")
              .path("primaries")
              .path("store")
              .path("size_in_bytes")
              .asLong());
      if (queries != null) {
        evaluate(http, items, embedder);
      }
      if (serveSeconds > 0) {
        System.out.printf(
            Locale.ROOT,
            "serving http://127.0.0.1:%d/%s for %d s (pid %d)%n",
            httpPort + 1,
            INDEX,
            serveSeconds,
            ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(serveSeconds * 1000L);
      }
    }
    return 0;
  }

  /** Evaluates every fusion on the judged queries and prints the table. */
  private void evaluate(OpenSearchHttp http, ItemStore items, MiniLmEmbedder embedder)
      throws IOException {
    JudgedQueries judged = JudgedQueries.read(queries, qrels);
    if (limit > 0 && limit < judged.queries().size()) {
      judged = new JudgedQueries(judged.queries().subList(0, limit));
    }
    Set<String> timed = new HashSet<>();
    judged.queries().forEach(q -> timed.add(q.text()));
    List<SearchSystem> systems = new ArrayList<>();
    for (Fusion f : Fusion.values()) {
      systems.add(new OpenSearchSystem(http, INDEX, items, embedder, f, efSearch));
    }
    List<SearchEvaluation.SystemResult> results =
        SearchEvaluation.run(
            items, judged, systems, WarmupQueries.fromCatalog(items, warmup, timed));
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    SearchEvaluation.printTable(out, results);
    out.flush();
  }

  private static void createIndex(OpenSearchHttp http, int dim) throws Exception {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode index = body.putObject("settings").putObject("index");
    index.put("number_of_shards", 1);
    index.put("number_of_replicas", 0);
    index.put("knn", true);
    ObjectNode properties = body.putObject("mappings").putObject("properties");
    properties.putObject("title").put("type", "text").put("analyzer", "english");
    ObjectNode vector = properties.putObject("vector");
    vector.put("type", "knn_vector");
    vector.put("dimension", dim);
    vector.put("space_type", "cosinesimil");
    ObjectNode method = vector.putObject("method");
    method.put("name", "hnsw");
    method.put("engine", "lucene");
    method.putObject("parameters").put("m", 16).put("ef_construction", 200);
    http.json("PUT", "/" + INDEX, body.toString());
  }

  private static void load(OpenSearchHttp http, ItemStore items) throws Exception {
    StringBuilder bulk = new StringBuilder();
    int batched = 0;
    for (int i = 0; i < items.size(); i++) {
      ObjectNode action = JSON.createObjectNode();
      action.putObject("index").put("_index", INDEX).put("_id", items.externalId(i));
      ObjectNode doc = JSON.createObjectNode();
      doc.put("title", items.title(i));
      float[] v = items.vector(i);
      if (v != null) {
        var array = doc.putArray("vector");
        for (float x : v) {
          array.add(x);
        }
      }
      bulk.append(action).append('\n').append(doc).append('\n');
      if (++batched == 2_000 || i == items.size() - 1) {
        var answer = http.ndjson("/_bulk", bulk.toString());
        if (answer.path("errors").asBoolean()) {
          throw new IOException("bulk load refused items: " + answer.toString().substring(0, 500));
        }
        bulk.setLength(0);
        batched = 0;
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }
}
