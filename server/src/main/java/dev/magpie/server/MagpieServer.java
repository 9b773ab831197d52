package dev.magpie.server;

import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.ReloadResponse;
import dev.magpie.api.v1.ShardGrpc;
import dev.magpie.engine.snapshot.Snapshot;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A running Magpie server: one snapshot, the engine over it, and the gRPC transport with the {@code
 * magpie.v1} services (Magpie, Admin), health checking and reflection. This class owns the parts
 * and their lifecycle; {@link Transport} assembles the transport and its protection, {@link
 * MagpieService} and {@link AdminService} handle calls, {@link SnapshotReloader} builds engines and
 * swaps reloaded snapshots in without dropping a call, {@link LiveUpdates} takes writes, {@link
 * ServerMetrics} exposes the counters. {@link #close()} stops taking calls, lets those in flight
 * finish (up to a grace period), then closes everything it owns. Requests run on a fixed pool of
 * named threads.
 */
public final class MagpieServer implements AutoCloseable {
  /** How long {@link #close()} waits for calls in flight. */
  private static final long GRACE_SECONDS = 10;

  /**
   * Niceness of the request threads (Linux; 0, the default, leaves them at the JVM's). {@code
   * -Dmagpie.rpc.niceness=N} (1 to 19) makes searches that fill every core yield to the network
   * threads, so sheds are answered sooner under overload (shed p50 1.9 -> 1.4 ms at 10); but they
   * then yield to every other thread and process at niceness 0 too (the JIT, the collector, a
   * generator or sidecar on the same machine), and on 2 cores a search waited 75 to 120 ms behind
   * them (docs/benchmarks.md, the OpenSearch peer's throughput).
   */
  static final int REQUEST_NICENESS = Integer.getInteger("magpie.rpc.niceness", 0);

  private final SnapshotReloader reloader;
  private final Engines engines;
  private final LiveUpdates live;
  private final ShardFollower follower;
  private final ExecutorService executor;
  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HealthStatusManager health = new HealthStatusManager();
  private final Server server;

  /**
   * Starts serving {@code snapshot} as {@code config} says, taking ownership of the snapshot
   * (closed here if starting fails).
   */
  public static MagpieServer start(Snapshot snapshot, ServerConfig config) throws IOException {
    SslContext ssl;
    try {
      ssl = config.tls() == null ? null : config.tls().serverContext();
    } catch (RuntimeException e) {
      snapshot.close();
      throw e;
    }
    SnapshotReloader reloader = new SnapshotReloader(config);
    try {
      return new MagpieServer(reloader.engine(snapshot), reloader, ssl, config);
    } catch (IOException | RuntimeException e) {
      reloader.close();
      throw e;
    }
  }

  /** Owns {@code first} from the first line: every failure closes it once. */
  private MagpieServer(Engine first, SnapshotReloader reloader, SslContext ssl, ServerConfig config)
      throws IOException {
    this.reloader = reloader;
    this.engines = new Engines(first);
    try {
      this.live =
          config.wal() == null ? null : LiveUpdates.open(config.wal(), config.walFiles(), engines);
    } catch (IOException | RuntimeException e) {
      engines.close();
      throw new IOException("write-ahead log " + config.wal() + ": " + e.getMessage(), e);
    }
    try {
      this.follower =
          config.updates() == null ? null : new ShardFollower(engines, config.updates());
    } catch (RuntimeException e) {
      if (live != null) {
        live.close();
      }
      engines.close();
      throw new IOException("update log " + config.updates() + ": " + e.getMessage(), e);
    }
    reloader.serve(engines, live);
    this.executor =
        Executors.newFixedThreadPool(config.threads(), named("magpie-rpc-", REQUEST_NICENESS));
    Protection protection =
        Protection.of(config, Set.of(MagpieGrpc.SERVICE_NAME, ShardGrpc.SERVICE_NAME));
    ConcurrencyLimitInterceptor limiter = protection.limiter();
    ServerMetrics.register(metrics, protection, live, engines, reloader);
    List<BindableService> handlers =
        List.of(
            new MagpieService(
                engines,
                protection.brownout(),
                live,
                follower != null ? MagpieService.FOLLOWER : MagpieService.NO_WAL),
            new AdminService(
                engines,
                follower == null ? reloader::reload : MagpieServer::noReload,
                limiter,
                live),
            guarded(new ShardService(engines, follower, executor), new BuildGuard(engines)));
    try {
      this.server = Transport.start(config, ssl, handlers, health, executor, protection, metrics);
    } catch (IOException | RuntimeException e) {
      stopOwned();
      throw e;
    }
    health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
    if (follower == null) {
      health.setStatus(MagpieGrpc.SERVICE_NAME, HealthCheckResponse.ServingStatus.SERVING);
    } else {
      // A replica is ready (Kubernetes' readiness probe) once it has replayed its partition.
      health.setStatus(MagpieGrpc.SERVICE_NAME, HealthCheckResponse.ServingStatus.NOT_SERVING);
      follower.whenCaughtUp(
          () ->
              health.setStatus(MagpieGrpc.SERVICE_NAME, HealthCheckResponse.ServingStatus.SERVING));
    }
  }

  /**
   * The server's metrics (calls by method and code with latency histograms, sheds, cache,
   * brownout).
   */
  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  /**
   * Stops the request pool, the log's writer (committing what waits), the engines and the embedder.
   */
  private void stopOwned() {
    executor.shutdownNow();
    if (follower != null) {
      follower.close();
    }
    if (live != null) {
      try {
        live.close();
      } catch (IOException e) {
        Logger.getLogger(MagpieServer.class.getName())
            .warning("closing the write-ahead log: " + e.getMessage());
      }
    }
    engines.close();
    reloader.close();
  }

  /**
   * With the cluster's update log: the offset of the next record of this shard's partition to
   * apply; -1 without one.
   */
  public long nextUpdateOffset() {
    return follower == null ? -1 : follower.nextOffset();
  }

  /** Log records replayed into the snapshot at start (0 with live updates off). */
  public long replayed() {
    return live == null ? 0 : live.replayedAtStart();
  }

  /** Daemon threads named {@code prefix} and a number from 1. */
  static ThreadFactory named(String prefix) {
    return named(prefix, 0);
  }

  /** As {@link #named(String)}, each thread first setting its own niceness (0: left as it is). */
  static ThreadFactory named(String prefix, int niceness) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t =
          new Thread(
              niceness == 0
                  ? r
                  : () -> {
                    ThreadNiceness.setCurrent(niceness);
                    r.run();
                  },
              prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The port the server listens on. */
  public int port() {
    return server.getPort();
  }

  /** Blocks until the server has stopped. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** {@code service} behind {@code guard}. */
  private static BindableService guarded(BindableService service, ServerInterceptor guard) {
    return () -> ServerInterceptors.intercept(service, guard);
  }

  /** Why a shard replica that follows the update log takes no Reload. */
  static final String FOLLOWER_RELOAD =
      "a shard replica that follows the update log does not reload in place (the new snapshot"
          + " would miss the updates between its offset and this replica's): restart the replica"
          + " on the new snapshot, and it replays its partition from the offset that snapshot"
          + " records";

  private static ReloadResponse noReload(Path snapshot) {
    throw Status.FAILED_PRECONDITION.withDescription(FOLLOWER_RELOAD).asRuntimeException();
  }

  /**
   * Graceful shutdown: health turns NOT_SERVING, new calls are refused, calls in flight get up to
   * {@value #GRACE_SECONDS} s, then the log's writer, the snapshot and the embedder are closed.
   */
  @Override
  public void close() {
    Transport.stop(server, health, GRACE_SECONDS);
    stopOwned();
  }
}
