package dev.magpie.cli.serve;

import dev.magpie.cli.MagpieMain;
import dev.magpie.cli.MagpieSubcommand;
import dev.magpie.cli.catalog.LoadCommand;
import dev.magpie.engine.embed.ModelUnavailableException;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotLayout;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.server.ApiKeys;
import dev.magpie.server.MagpieServer;
import dev.magpie.server.MetricsEndpoint;
import dev.magpie.server.ServerConfig;
import dev.magpie.server.Tls;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code magpie serve}: serves a snapshot over gRPC until stopped (Ctrl-C or SIGTERM shut it down
 * gracefully). With no --snapshot it serves the default store, loading the bundled sample into it
 * first when it holds nothing yet.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves a snapshot over gRPC (magpie.v1: Search, GetItems, Recommend, SimilarItems, Admin.Stats;",
      "health and reflection), with API keys when --keys is given. With no --snapshot, serves $MAGPIE_HOME/var/snapshots, loading the bundled sample",
      "catalog into it first when it is empty."
    },
    footer = {
      "",
      "Examples:",
      "  magpie serve                                   # the bundled sample on 127.0.0.1:7420",
      "  magpie serve --snapshot /srv/magpie/snapshots --host 0.0.0.0 --port 7420 \\",
      "      --search-model search-ranker.bin"
    })
public final class ServeCommand implements MagpieSubcommand {
  @Spec CommandSpec spec;

  @Option(
      names = "--snapshot",
      paramLabel = "DIR",
      description =
          "Snapshot store or version to serve (default: $MAGPIE_HOME/var/snapshots, the sample if empty).")
  Path snapshot;

  @Option(
      names = "--wal",
      paramLabel = "DIR",
      description =
          "Write-ahead log of live updates (UpdateItems, RecordEvents); default: wal/ in the snapshot store.")
  Path wal;

  @Option(names = "--no-wal", description = "Refuse live updates (no write-ahead log).")
  boolean noWal;

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
      names = "--cache-ttl-ms",
      defaultValue = "1000",
      paramLabel = "MS",
      description =
          "How long search answers are kept for identical searches (default: ${DEFAULT-VALUE}; 0: shared"
              + " only while in flight).")
  long cacheTtlMs;

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

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int n = threads == null ? 2 * Runtime.getRuntime().availableProcessors() : threads;
    int burstCalls = burst != null ? burst : (int) Math.max(1, Math.ceil(rateLimit));
    if (port < 0
        || port > 65_535
        || n < 1
        || maxConcurrency < 0
        || !(rateLimit >= 0)
        || burstCalls < 1
        || cacheTtlMs < 0
        || metricsPort < -1
        || metricsPort > 65_535) {
      err.println(
          "magpie serve: --port must be 0 to 65535, --threads 1 or more, --max-concurrency and --rate-limit"
              + " 0 or more, --burst 1 or more, --cache-ttl-ms 0 or more, --metrics-port -1 to 65535");
      return USAGE;
    }
    Path dir = snapshot;
    if (dir == null) {
      dir = MagpieMain.defaultStore();
      if (!SnapshotStore.isStore(dir)) {
        out.println("No snapshot in " + dir + " yet: loading the bundled sample catalog into it.");
        out.flush();
        int loaded =
            new CommandLine(new LoadCommand())
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute("--out", dir.toString(), "--show", "0");
        if (loaded != OK) {
          return loaded;
        }
      }
    }
    Tls tls = null;
    if (tlsKeystore != null) {
      String password = System.getenv("MAGPIE_TLS_PASSWORD");
      tls = Tls.pkcs12(tlsKeystore, password == null ? new char[0] : password.toCharArray());
    } else if (tlsCert != null || tlsKey != null) {
      if (tlsCert == null || tlsKey == null) {
        err.println("magpie serve: --tls-cert and --tls-key go together");
        return USAGE;
      }
      tls = Tls.pem(tlsCert, tlsKey);
    }
    ApiKeys apiKeys;
    try {
      apiKeys = keys == null ? null : ApiKeys.read(keys);
    } catch (IllegalArgumentException e) {
      err.println("magpie serve: --keys " + e.getMessage());
      return USAGE;
    }
    RankingModel search =
        searchModel == null ? RankingModel.SEARCH_DEFAULT : RankingModel.read(searchModel);
    RankingModel recommend =
        recommendModel == null ? RankingModel.RECOMMEND_DEFAULT : RankingModel.read(recommendModel);
    Path walDir = noWal ? null : wal != null ? wal : defaultWal(dir);
    Snapshot opened = Snapshot.open(SnapshotStore.resolveVersionDir(dir));
    MagpieServer server;
    try {
      server =
          MagpieServer.start(
              opened,
              ServerConfig.builder()
                  .host(host)
                  .port(port)
                  .threads(n)
                  .models(search, recommend)
                  .keys(apiKeys)
                  .maxConcurrency(maxConcurrency)
                  .rateLimit(rateLimit, burstCalls)
                  .cacheTtl(Duration.ofMillis(cacheTtlMs))
                  .tls(tls)
                  .wal(walDir)
                  .build());
    } catch (IOException | IllegalArgumentException | ModelUnavailableException e) {
      err.println("magpie serve: " + e.getMessage());
      return FAILED;
    }
    MetricsEndpoint endpoint;
    try {
      endpoint =
          metricsPort < 0 ? null : MetricsEndpoint.start(host, metricsPort, server.metrics());
    } catch (IOException e) {
      server.close();
      err.println("magpie serve: metrics on " + host + ":" + metricsPort + ": " + e.getMessage());
      return FAILED;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (endpoint != null) {
                    endpoint.close();
                  }
                  server.close();
                },
                "magpie-shutdown"));
    out.printf(
        Locale.ROOT,
        "Magpie serving %,d items from %s on %s:%d%s (search model %s, recommend model %s, %d"
            + " threads)%n",
        opened.items().size(),
        opened.dir(),
        host,
        server.port(),
        tls == null ? "" : " (TLS)",
        search.name(),
        recommend.name(),
        n);
    if (endpoint != null) {
      out.println("Metrics: http://" + host + ":" + endpoint.port() + "/metrics");
    }
    out.println(
        walDir == null
            ? "Live updates off (no write-ahead log)."
            : "Live updates logged in "
                + walDir
                + " (replayed "
                + server.replayed()
                + " since the snapshot).");
    out.println(
        apiKeys == null
            ? "No --keys: every caller may read, write and administer (local use only)."
            : "API keys: " + apiKeys.size() + " (from " + keys + ")");
    out.flush();
    try {
      server.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return OK;
  }

  /** wal/ in the store {@code dir} is (or holds the version {@code dir} is); null when neither. */
  static Path defaultWal(Path dir) {
    if (SnapshotStore.isStore(dir)) {
      return dir.resolve(SnapshotLayout.WAL);
    }
    Path parent = dir.toAbsolutePath().getParent();
    return parent != null && SnapshotStore.isStore(parent)
        ? parent.resolve(SnapshotLayout.WAL)
        : null;
  }
}
