package dev.magpie.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The server's counters and gauges beside the per-method ones of {@link MetricsInterceptor}: read
 * from the protection layers, the write-ahead log and the current engine when scraped, never
 * counted on the request path.
 */
final class ServerMetrics {
  private ServerMetrics() {}

  /**
   * Registers every meter on {@code registry}.
   *
   * @param live the live updates, or null when the server refuses them
   */
  static void register(
      PrometheusMeterRegistry registry,
      Protection protection,
      LiveUpdates live,
      Engines engines,
      SnapshotReloader reloader) {
    protection.register(registry);
    FunctionCounter.builder(
            "magpie.query_vectors.hits", reloader, SnapshotReloader::queryVectorHits)
        .description("query embeddings taken from the kept ones (--query-vector-cache)")
        .register(registry);
    FunctionCounter.builder(
            "magpie.query_vectors.misses", reloader, SnapshotReloader::queryVectorMisses)
        .description("query embeddings computed by the model")
        .register(registry);
    if (live != null) {
      FunctionCounter.builder("magpie.wal.commits", live, LiveUpdates::commits)
          .description("write-ahead log commits (one fsync each)")
          .register(registry);
      FunctionCounter.builder("magpie.wal.records", live, LiveUpdates::records)
          .description("updates and events committed to the write-ahead log")
          .register(registry);
      FunctionCounter.builder("magpie.wal.skipped", live, LiveUpdates::skipped)
          .description("logged updates that no longer applied to the snapshot served")
          .register(registry);
    }
    Gauge.builder("magpie.cache.hits", engines, e -> e.current().answers.hits())
        .description(
            "reads (search, recommend, similar items) answered from kept answers since the"
                + " snapshot was loaded")
        .register(registry);
    Gauge.builder("magpie.coalesced", engines, e -> e.current().answers.coalesced())
        .description("reads that shared an identical call in flight since the snapshot was loaded")
        .register(registry);
    Gauge.builder("magpie.search.degraded", engines, e -> e.current().answers.degraded())
        .description(
            "searches answered with stages skipped (brownout) since the snapshot was loaded")
        .register(registry);
  }
}
