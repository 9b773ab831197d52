package dev.magpie.server;

import dev.magpie.api.v1.ReloadResponse;
import dev.magpie.engine.InvalidRequestException;
import dev.magpie.engine.embed.CachingEmbedder;
import dev.magpie.engine.embed.Embedder;
import dev.magpie.engine.embed.MiniLmEmbedder;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;

/**
 * Builds the {@link Engine} over a snapshot and swaps newly published snapshots in without dropping
 * a call: the new engine gets the log's tail replayed, on the log's writer between commits, and
 * calls in flight finish on the old one, closed after the last. Owns the query embedder, which
 * every engine over a snapshot embedded by the built-in model shares (created on first need, closed
 * by {@link #close()}).
 */
final class SnapshotReloader implements AutoCloseable {
  private final ServerConfig config;
  private Engines engines;
  private LiveUpdates live;
  private volatile CachingEmbedder embedder;

  SnapshotReloader(ServerConfig config) {
    this.config = config;
  }

  /**
   * The engine over {@code snapshot}, which it owns from now on (closed here if building fails).
   */
  synchronized Engine engine(Snapshot snapshot) {
    try {
      if (embeddedByModel(snapshot) && embedder == null) {
        embedder = queryEmbedder();
      }
      return new Engine(
          snapshot, embedder, config.searchModel(), config.recommendModel(), config.cacheTtl());
    } catch (RuntimeException e) {
      snapshot.close();
      throw e;
    }
  }

  /** The engines to swap and the log to replay (null: no live updates), once both exist. */
  synchronized void serve(Engines current, LiveUpdates updates) {
    this.engines = current;
    this.live = updates;
  }

  /**
   * Opens {@code path} (a store's live version, or a version directory), verified, and makes it the
   * snapshot new calls run on; calls in flight finish on the old one, closed after the last.
   *
   * @throws InvalidRequestException naming the snapshot when it cannot be opened or replayed
   */
  ReloadResponse reload(Path path) {
    if (live == null) {
      return reloadNow(path);
    }
    // On the log's writer, between commits: the log's tail is replayed into the new snapshot and it
    // is swapped in with no update committed in between.
    try {
      return live.exclusive(() -> reloadNow(path)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private synchronized ReloadResponse reloadNow(Path path) {
    Snapshot next;
    try {
      next = Snapshot.open(SnapshotStore.resolveVersionDir(path));
    } catch (IOException e) {
      throw new InvalidRequestException(
          "snapshot", "cannot open '" + path + "': " + e.getMessage(), e);
    }
    Engine fresh = engine(next);
    try {
      if (live != null) {
        try {
          live.replay(fresh);
        } catch (IOException e) {
          throw new InvalidRequestException("snapshot", e.getMessage(), e);
        }
      }
      int previous = engines.current().snapshot.manifest().version();
      engines.swap(fresh);
      return ReloadResponse.newBuilder()
          .setPreviousVersion(previous)
          .setVersion(next.manifest().version())
          .setSnapshotDir(next.dir().toString())
          .setItems(next.items().size())
          .build();
    } catch (RuntimeException e) {
      next.close();
      throw e;
    }
  }

  /**
   * The built-in model behind a cache of recent query vectors ({@link ServerConfig#queryVectors()};
   * none kept when 0): agents and shoppers repeat queries, and a query's embedding is most of a
   * search's CPU (about 3 ms of MiniLM on this machine). Unlike kept answers, a vector stays valid
   * across updates, filters and k.
   */
  private CachingEmbedder queryEmbedder() {
    return new CachingEmbedder(new MiniLmEmbedder(), config.queryVectors());
  }

  /** Query embeddings taken from the kept ones (0 before any search embedded a query). */
  long queryVectorHits() {
    CachingEmbedder e = embedder;
    return e == null ? 0 : e.hits();
  }

  /** Query embeddings the model computed. */
  long queryVectorMisses() {
    CachingEmbedder e = embedder;
    return e == null ? 0 : e.misses();
  }

  /** Whether a model embedded {@code snapshot}'s catalog, so queries are embedded with it too. */
  private static boolean embeddedByModel(Snapshot snapshot) {
    return snapshot.vectors() != null
        && snapshot.manifest().build().containsKey(Embedder.MANIFEST_PARAMETER);
  }

  /** Closes the query embedder; the engines are closed by their owner. */
  @Override
  public synchronized void close() {
    if (embedder != null) {
      embedder.close();
      embedder = null;
    }
  }
}
