package dev.magpie.server;

import dev.magpie.engine.embed.MiniLmEmbedder;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.recommend.Recommender;
import dev.magpie.engine.recommend.UserProfiles;
import dev.magpie.engine.search.HybridSearcher;
import dev.magpie.engine.search.SearchReranker;
import dev.magpie.engine.snapshot.Snapshot;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running Magpie server: one snapshot, the engine objects over it, and the gRPC transport (Netty)
 * with the {@code magpie.v1} service, standard health checking and server reflection. It owns the
 * snapshot (and the query embedder): {@link #close()} stops taking calls, lets those in flight finish
 * (up to a grace period), then closes both. Requests run on a fixed pool of named threads.
 */
public final class MagpieServer implements AutoCloseable {
  /** How long {@link #close()} waits for calls in flight. */
  private static final long GRACE_SECONDS = 10;

  private final Snapshot snapshot;
  private final MiniLmEmbedder embedder;
  private final ExecutorService executor;
  private final HealthStatusManager health;
  private final Server server;

  /**
   * Starts serving {@code snapshot} (taking ownership of it) on {@code host:port} (port 0: any free
   * one), searching with {@code searchModel} and recommending with {@code recommendModel}.
   */
  public static MagpieServer start(Snapshot snapshot, String host, int port, RankingModel searchModel,
      RankingModel recommendModel, int threads) throws IOException {
    MiniLmEmbedder embedder = null;
    try {
      embedder = snapshot.vectors() == null ? null : new MiniLmEmbedder();
      return new MagpieServer(snapshot, embedder, host, port, searchModel, recommendModel, threads);
    } catch (IOException | RuntimeException e) {
      if (embedder != null) {
        embedder.close();
      }
      snapshot.close();
      throw e;
    }
  }

  private MagpieServer(Snapshot snapshot, MiniLmEmbedder embedder, String host, int port, RankingModel searchModel,
      RankingModel recommendModel, int threads) throws IOException {
    this.snapshot = snapshot;
    this.embedder = embedder;
    this.executor = Executors.newFixedThreadPool(threads, named("magpie-rpc-"));
    this.health = new HealthStatusManager();
    MagpieService service = new MagpieService(snapshot.items(), new HybridSearcher(snapshot, embedder),
        new SearchReranker(snapshot, searchModel), searchModel.name(),
        new Recommender(snapshot, new UserProfiles(snapshot.items(), snapshot.userHistories()), recommendModel));
    this.server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
        .executor(executor)
        .addService(service)
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .build();
    try {
      server.start();
    } catch (IOException e) {
      executor.shutdownNow();
      throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    health.setStatus("", io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
    health.setStatus(dev.magpie.api.v1.MagpieGrpc.SERVICE_NAME,
        io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
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

  /**
   * Graceful shutdown: health turns NOT_SERVING, new calls are refused, calls in flight get up to
   * {@value #GRACE_SECONDS} s, then the snapshot and the embedder are closed.
   */
  @Override
  public void close() {
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS)) {
        server.shutdownNow();
        server.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
    if (embedder != null) {
      embedder.close();
    }
    snapshot.close();
  }
}
