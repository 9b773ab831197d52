package dev.magpie.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magpie.engine.embed.Embedder;
import dev.magpie.learn.search.OpenSearchHybridQuery;
import dev.magpie.learn.search.OpenSearchHybridQuery.Fusion;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenSearch node on loopback searched the way {@code bench/peers} evaluates it ({@link
 * OpenSearchHybridQuery}): the query embedded by MiniLM here, in the client, as OpenSearch has no
 * embedder of its own without the ml-commons plugin; one {@code _msearch} of BM25 and knn over
 * HTTP; the two lists fused, min-max linear. Searches only. The embedding runs on a small pool of
 * named threads (never the generator's), the HTTP call is asynchronous, and the deadline covers
 * both: an answer later than it is a timeout. HTTP 429 (OpenSearch's search queue full) is a shed;
 * a search that timed out or missed a shard answered {@link Outcome#DEGRADED}.
 */
final class OpenSearchTarget implements LoadTarget {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Embedder embedder;
  private final URI msearch;
  private final String index;
  private final int efSearch;
  private final int candidates;
  private final Duration deadline;
  private final ExecutorService embedding;
  private final HttpClient http;

  /**
   * Searches {@code index} on {@code 127.0.0.1:port}: {@code candidates} hits from each list (at
   * least the k asked for), knn with {@code efSearch}, the query embedded with {@code embedder} on
   * {@code threads} threads; each search within {@code deadline}.
   */
  OpenSearchTarget(
      int port,
      String index,
      int candidates,
      int efSearch,
      Embedder embedder,
      int threads,
      Duration deadline) {
    this.embedder = embedder;
    this.msearch = URI.create("http://127.0.0.1:" + port + "/_msearch");
    this.index = index;
    this.efSearch = efSearch;
    this.candidates = candidates;
    this.deadline = deadline;
    AtomicInteger n = new AtomicInteger();
    this.embedding =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "opensearch-load-embed-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @Override
  public CompletableFuture<Outcome> search(String query, int k) {
    long due = System.nanoTime() + deadline.toNanos();
    return CompletableFuture.supplyAsync(
            () ->
                OpenSearchHybridQuery.msearchBody(index, query, embedder.embed(query), k, efSearch),
            embedding)
        .thenCompose(
            body -> {
              long left = due - System.nanoTime();
              if (left <= 0) {
                throw new CompletionException(
                    new HttpTimeoutException("deadline passed embedding"));
              }
              return http.sendAsync(
                  HttpRequest.newBuilder(msearch)
                      .timeout(Duration.ofNanos(left))
                      .header("Content-Type", "application/x-ndjson")
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
            })
        .handle((response, failure) -> outcome(response, failure, k));
  }

  /** How a search ended: its answer read and fused as a client would, or its failure. */
  private static Outcome outcome(HttpResponse<String> response, Throwable failure, int k) {
    if (failure != null) {
      Throwable cause =
          failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
      return cause instanceof HttpTimeoutException ? Outcome.TIMEOUT : Outcome.ERROR;
    }
    if (response.statusCode() == 429) {
      return Outcome.SHED;
    }
    if (response.statusCode() / 100 != 2) {
      return Outcome.ERROR;
    }
    try {
      OpenSearchHybridQuery.Answer answer =
          OpenSearchHybridQuery.read(JSON.readTree(response.body()));
      OpenSearchHybridQuery.top(OpenSearchHybridQuery.fuse(answer, Fusion.LINEAR), k);
      return answer.partial() ? Outcome.DEGRADED : Outcome.OK;
    } catch (OpenSearchHybridQuery.RefusedException e) {
      return e.status() == 429 ? Outcome.SHED : Outcome.ERROR;
    } catch (IOException e) {
      return Outcome.ERROR;
    }
  }

  @Override
  public CompletableFuture<Outcome> get(List<String> ids) {
    throw unsupported("get");
  }

  @Override
  public CompletableFuture<Outcome> recommend(String user, String context, int k) {
    throw unsupported("recommend");
  }

  @Override
  public CompletableFuture<Outcome> update(String id, int stock) {
    throw unsupported("update");
  }

  @Override
  public CompletableFuture<Outcome> add(String id, String title, int stock) {
    throw unsupported("add");
  }

  private static UnsupportedOperationException unsupported(String op) {
    return new UnsupportedOperationException(
        "the OpenSearch target sends searches only, not " + op);
  }

  @Override
  public void close() {
    embedding.shutdownNow();
    http.close();
  }
}
