package dev.magpie.server;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves a registry's metrics in Prometheus' text format at {@code GET /metrics}, on its own port
 * and one named thread ({@code magpie-metrics-1}), apart from the gRPC traffic it measures.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final HttpServer http;
  private final ExecutorService thread;

  private MetricsEndpoint(HttpServer http, ExecutorService thread) {
    this.http = http;
    this.thread = thread;
  }

  /** Starts serving {@code registry} on {@code host:port} (0: any free port). */
  public static MetricsEndpoint start(String host, int port, PrometheusMeterRegistry registry)
      throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 16);
    http.createContext(
        "/metrics",
        exchange -> {
          try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
              exchange.sendResponseHeaders(405, -1);
              return;
            }
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange
                .getResponseHeaders()
                .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    ExecutorService thread =
        Executors.newSingleThreadExecutor(MagpieServer.named("magpie-metrics-"));
    http.setExecutor(thread);
    http.start();
    return new MetricsEndpoint(http, thread);
  }

  /** The port it listens on. */
  public int port() {
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    http.stop(0);
    thread.shutdownNow();
  }
}
