package dev.magpie.cli.serve;

import dev.magpie.engine.rank.RankingModel;
import dev.magpie.server.ApiKeys;
import dev.magpie.server.MetricsEndpoint;
import dev.magpie.server.ServerConfig;
import dev.magpie.server.Tls;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every gRPC front door takes ({@code magpie serve}, {@code magpie route}): where it
 * listens, its threads, its protection (keys, TLS, rate and concurrency limits), its metrics
 * endpoint and the search reranker's model. A picocli mixin; {@link #config} checks them and builds
 * the server's configuration.
 */
public final class ServingOptions {
  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "7420",
      description = "Port to listen on, 0 for any (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Request threads (default: 2 per core).")
  Integer threads;

  @Option(
      names = "--search-model",
      paramLabel = "FILE",
      description = "Search reranking model from magpie train search (default: hybrid order).")
  Path searchModel;

  @Option(
      names = "--recommend-model",
      paramLabel = "FILE",
      description = "Recommendation model from magpie train recommend (default: the built-in one).")
  Path recommendModel;

  @Option(
      names = "--max-concurrency",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Calls in flight at most, fixed; 0 (default) for a limit that adapts to latency.")
  int maxConcurrency;

  @Option(
      names = "--rate-limit",
      defaultValue = "0",
      paramLabel = "CALLS",
      description =
          "Calls per second each client (API key, or IP address without keys) may make; 0 (default): none.")
  double rateLimit;

  @Option(
      names = "--burst",
      paramLabel = "CALLS",
      description =
          "Calls a client may make at once after being idle (default: one second's worth, at least 1).")
  Integer burst;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "TLS certificate chain (PEM), with --tls-key.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "TLS private key (PEM, PKCS#8), with --tls-cert.")
  Path tlsKey;

  @Option(
      names = "--tls-keystore",
      paramLabel = "FILE",
      description =
          "TLS key and chain as a PKCS#12 keystore; its password in $MAGPIE_TLS_PASSWORD (empty if unset).")
  Path tlsKeystore;

  @Option(
      names = "--metrics-port",
      defaultValue = "9464",
      paramLabel = "PORT",
      description =
          "Port of the Prometheus endpoint (GET /metrics) on --host; -1: none (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(
      names = "--keys",
      paramLabel = "FILE",
      description =
          "API keys, one per line: name<TAB>role<TAB>key (role read, write or admin). Without it every"
              + " caller may do everything: for local use only.")
  Path keys;

  /** The request threads asked for, or 2 per core. */
  int threads() {
    return threads == null ? 2 * Runtime.getRuntime().availableProcessors() : threads;
  }

  /** The search reranker: the file's model, or the built-in one. */
  RankingModel searchModel() throws IOException {
    return searchModel == null ? RankingModel.SEARCH_DEFAULT : RankingModel.read(searchModel);
  }

  /** The recommendation model: the file's, or the built-in one. */
  RankingModel recommendModel() throws IOException {
    return recommendModel == null
        ? RankingModel.RECOMMEND_DEFAULT
        : RankingModel.read(recommendModel);
  }

  /**
   * The configuration these options describe (search model left to the caller), or null after
   * telling {@code err} what is wrong, prefixed with {@code command}.
   */
  ServerConfig.Builder config(String command, PrintWriter err) throws IOException {
    int n = threads();
    int burstCalls = burst != null ? burst : (int) Math.max(1, Math.ceil(rateLimit));
    if (port < 0
        || port > 65_535
        || n < 1
        || maxConcurrency < 0
        || !(rateLimit >= 0)
        || burstCalls < 1
        || metricsPort < -1
        || metricsPort > 65_535) {
      err.println(
          command
              + ": --port must be 0 to 65535, --threads 1 or more, --max-concurrency and --rate-limit"
              + " 0 or more, --burst 1 or more, --metrics-port -1 to 65535");
      return null;
    }
    Tls tls = null;
    if (tlsKeystore != null) {
      String password = System.getenv("MAGPIE_TLS_PASSWORD");
      tls = Tls.pkcs12(tlsKeystore, password == null ? new char[0] : password.toCharArray());
    } else if (tlsCert != null || tlsKey != null) {
      if (tlsCert == null || tlsKey == null) {
        err.println(command + ": --tls-cert and --tls-key go together");
        return null;
      }
      tls = Tls.pem(tlsCert, tlsKey);
    }
    ApiKeys apiKeys;
    try {
      apiKeys = keys == null ? null : ApiKeys.read(keys);
    } catch (IllegalArgumentException e) {
      err.println(command + ": --keys " + e.getMessage());
      return null;
    }
    return ServerConfig.builder()
        .host(host)
        .port(port)
        .threads(n)
        .keys(apiKeys)
        .maxConcurrency(maxConcurrency)
        .rateLimit(rateLimit, burstCalls)
        .tls(tls);
  }

  /**
   * Starts the Prometheus endpoint over {@code registry} (none with {@code --metrics-port -1}) and
   * a shutdown hook that closes it and then {@code front}, and says where the metrics are.
   *
   * @param front closes the server or router (Ctrl-C, SIGTERM)
   * @return false after closing {@code front} and telling {@code err} why the endpoint did not
   *     start
   */
  boolean metricsUntilStopped(
      String command,
      PrometheusMeterRegistry registry,
      Runnable front,
      PrintWriter out,
      PrintWriter err) {
    MetricsEndpoint endpoint;
    try {
      endpoint = metricsPort < 0 ? null : MetricsEndpoint.start(host, metricsPort, registry);
    } catch (IOException e) {
      front.run();
      err.println(command + ": metrics on " + host + ":" + metricsPort + ": " + e.getMessage());
      return false;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (endpoint != null) {
                    endpoint.close();
                  }
                  front.run();
                },
                "magpie-shutdown"));
    if (endpoint != null) {
      out.println("Metrics: http://" + host + ":" + endpoint.port() + "/metrics");
    }
    return true;
  }

  /** What the keys option says to the operator once serving. */
  String keysLine(ServerConfig config) {
    return config.keys() == null
        ? "No --keys: every caller may read, write and administer (local use only)."
        : "API keys: " + config.keys().size() + " (from " + keys + ")";
  }
}
