package dev.magpie.cli.serve;

import dev.magpie.cli.MagpieMain;
import dev.magpie.cli.MagpieSubcommand;
import dev.magpie.cli.catalog.LoadCommand;
import dev.magpie.engine.embed.ModelUnavailableException;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotLayout;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.server.MagpieServer;
import dev.magpie.server.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin ServingOptions serving;

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

  @Mixin UpdateLogOptions updates;

  @Option(
      names = "--cache-ttl-ms",
      defaultValue = "1000",
      paramLabel = "MS",
      description =
          "How long search answers are kept for identical searches (default: ${DEFAULT-VALUE}; 0: shared"
              + " only while in flight).")
  long cacheTtlMs;

  @Option(
      names = "--query-vector-cache",
      defaultValue = "10000",
      paramLabel = "N",
      description =
          "Query embeddings kept for repeated query texts (default: ${DEFAULT-VALUE}, about 1.5 KB"
              + " each; 0: every search embeds its query). With --cache-ttl-ms 0, nothing is kept.")
  int queryVectorCache;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (cacheTtlMs < 0 || queryVectorCache < 0) {
      err.println("magpie serve: --cache-ttl-ms and --query-vector-cache must be 0 or more");
      return USAGE;
    }
    ServerConfig.Builder options = serving.config("magpie serve", err);
    if (options == null) {
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
    RankingModel search = serving.searchModel();
    RankingModel recommend = serving.recommendModel();
    Path walDir = noWal || updates.given() ? null : wal != null ? wal : defaultWal(dir);
    Snapshot opened = Snapshot.open(SnapshotStore.resolveVersionDir(dir));
    MagpieServer server;
    ServerConfig config;
    try {
      config =
          options
              .models(search, recommend)
              .cacheTtl(Duration.ofMillis(cacheTtlMs))
              .queryVectors(queryVectorCache)
              .wal(walDir)
              .updates(updates.log())
              .build();
      server = MagpieServer.start(opened, config);
    } catch (IOException | IllegalArgumentException | ModelUnavailableException e) {
      err.println("magpie serve: " + e.getMessage());
      return FAILED;
    }
    if (!serving.metricsUntilStopped("magpie serve", server.metrics(), server::close, out, err)) {
      return FAILED;
    }
    out.printf(
        Locale.ROOT,
        "Magpie serving %,d items from %s on %s:%d%s (search model %s, recommend model %s, %d"
            + " threads)%n",
        opened.items().size(),
        opened.dir(),
        serving.host,
        server.port(),
        config.tls() == null ? "" : " (TLS)",
        search.name(),
        recommend.name(),
        config.threads());
    out.printf(
        Locale.ROOT,
        "Kept: search answers %s, query vectors %s.%n",
        cacheTtlMs == 0 ? "only while in flight" : "for " + cacheTtlMs + " ms",
        queryVectorCache == 0 ? "none" : String.format(Locale.ROOT, "up to %,d", queryVectorCache));
    out.println(
        updates.given()
            ? "Live updates from " + updates + " (next offset " + server.nextUpdateOffset() + ")."
            : walDir == null
                ? "Live updates off (no write-ahead log)."
                : "Live updates logged in "
                    + walDir
                    + " (replayed "
                    + server.replayed()
                    + " since the snapshot).");
    out.println(serving.keysLine(config));
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
