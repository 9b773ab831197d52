package dev.magpie.server;

import dev.magpie.engine.InvalidRequestException;
import dev.magpie.api.v1.AdminGrpc;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.ReloadResponse;
import dev.magpie.engine.embed.CachingEmbedder;
import dev.magpie.engine.embed.MiniLmEmbedder;
import dev.magpie.engine.io.FileOps;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running Magpie server: one snapshot, the engine objects over it, and the gRPC transport (Netty)
 * with the {@code magpie.v1} services (Magpie, Admin), standard health checking and server reflection,
 * and API keys checked before any call when keys are given ({@link AuthInterceptor}). It owns the
 * snapshot (and the query embedder): {@link #reload} swaps in a newly published snapshot without
 * dropping a call ({@link Engines}); {@link #close()} stops taking calls, lets those in flight finish
 * (up to a grace period), then closes both. Requests run on a fixed pool of named threads.
 */
public final class MagpieServer implements AutoCloseable {
  /** Methods cheap enough to run on the transport thread. */
  private static final Set<String> INLINE = Set.of(MagpieGrpc.getGetItemsMethod().getFullMethodName(),
      HealthGrpc.getCheckMethod().getFullMethodName());

  /** How long {@link #close()} waits for calls in flight. */
  private static final long GRACE_SECONDS = 10;

  private final Options options;
  private final Engines engines;
  private final LiveUpdates live;
  private CachingEmbedder embedder;
  private final ExecutorService executor;
  private final ConcurrencyLimitInterceptor limiter;
  private final RateLimitInterceptor rateLimiter;
  private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HealthStatusManager health;
  private final Server server;

  /**
   * How a server runs; {@link #local()} for the defaults, {@link #toBuilder()} to change them.
   *
   * @param host the address to listen on
   * @param port the port, 0 for any free one
   * @param threads request threads
   * @param searchModel the search reranker's model
   * @param recommendModel the recommendation model
   * @param keys the API keys callers must present, or null to let every caller in (development)
   * @param maxConcurrency the most calls in flight, fixed; 0 for an adaptive limit
   * @param ratePerSecond calls per second each client may make, 0 for no rate limit
   * @param burst calls a client may make at once after being idle (with a rate limit)
   * @param cacheTtl how long search answers are kept (zero: identical searches share only while in flight)
   * @param tls the server's TLS identity, or null for plaintext
   * @param wal the write-ahead log's directory for live updates, or null to refuse updates
   * @param walFiles the file operations the write-ahead log goes through (the real file system; tests
   *     hand in failing ones)
   */
  public record Options(String host, int port, int threads, RankingModel searchModel, RankingModel recommendModel,
      ApiKeys keys, int maxConcurrency, double ratePerSecond, int burst, Duration cacheTtl, Tls tls, Path wal,
      FileOps walFiles) {
    /**
     * Loopback, any port, 2 threads, the built-in models, no keys, an adaptive limit, no rate limit,
     * no kept answers, plaintext, no live updates.
     */
    public static Options local() {
      return new Builder().build();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
      return new Builder(this);
    }

    /** These options served at {@code newHost}:{@code newPort}. */
    public Options at(String newHost, int newPort) {
      return toBuilder().host(newHost).port(newPort).build();
    }

    /** These options with {@code apiKeys}. */
    public Options withKeys(ApiKeys apiKeys) {
      return toBuilder().keys(apiKeys).build();
    }

    /** These options with a fixed concurrency limit ({@code limit} calls in flight; 0: adaptive). */
    public Options withMaxConcurrency(int limit) {
      return toBuilder().maxConcurrency(limit).build();
    }

    /** These options with a per-client rate limit ({@code perSecond} 0: none). */
    public Options withRateLimit(double perSecond, int burstCalls) {
      return toBuilder().rateLimit(perSecond, burstCalls).build();
    }

    /** These options keeping search answers for {@code ttl}. */
    public Options withCacheTtl(Duration ttl) {
      return toBuilder().cacheTtl(ttl).build();
    }

    /** These options served over TLS with {@code identity}. */
    public Options withTls(Tls identity) {
      return toBuilder().tls(identity).build();
    }

    /** These options taking live updates into the write-ahead log in {@code dir}. */
    public Options withWal(Path dir) {
      return toBuilder().wal(dir).build();
    }

    /** Builds {@link Options}; every setter returns the builder. */
    public static final class Builder {
      private String host = "127.0.0.1";
      private int port;
      private int threads = 2;
      private RankingModel searchModel = RankingModel.SEARCH_DEFAULT;
      private RankingModel recommendModel = RankingModel.RECOMMEND_DEFAULT;
      private ApiKeys keys;
      private int maxConcurrency;
      private double ratePerSecond;
      private int burst;
      private Duration cacheTtl = Duration.ZERO;
      private Tls tls;
      private Path wal;
      private FileOps walFiles = FileOps.DEFAULT;

      /** The defaults of {@link Options#local()}. */
      public Builder() {}

      private Builder(Options o) {
        host = o.host;
        port = o.port;
        threads = o.threads;
        searchModel = o.searchModel;
        recommendModel = o.recommendModel;
        keys = o.keys;
        maxConcurrency = o.maxConcurrency;
        ratePerSecond = o.ratePerSecond;
        burst = o.burst;
        cacheTtl = o.cacheTtl;
        tls = o.tls;
        wal = o.wal;
        walFiles = o.walFiles;
      }

      /** See {@link Options#host()}. */
      public Builder host(String value) {
        host = value;
        return this;
      }

      /** See {@link Options#port()}. */
      public Builder port(int value) {
        port = value;
        return this;
      }

      /** See {@link Options#threads()}. */
      public Builder threads(int value) {
        threads = value;
        return this;
      }

      /** See {@link Options#searchModel()} and {@link Options#recommendModel()}. */
      public Builder models(RankingModel search, RankingModel recommend) {
        searchModel = search;
        recommendModel = recommend;
        return this;
      }

      /** See {@link Options#keys()}. */
      public Builder keys(ApiKeys value) {
        keys = value;
        return this;
      }

      /** See {@link Options#maxConcurrency()}. */
      public Builder maxConcurrency(int value) {
        maxConcurrency = value;
        return this;
      }

      /** See {@link Options#ratePerSecond()} and {@link Options#burst()}. */
      public Builder rateLimit(double perSecond, int burstCalls) {
        ratePerSecond = perSecond;
        burst = burstCalls;
        return this;
      }

      /** See {@link Options#cacheTtl()}. */
      public Builder cacheTtl(Duration value) {
        cacheTtl = value;
        return this;
      }

      /** See {@link Options#tls()}. */
      public Builder tls(Tls value) {
        tls = value;
        return this;
      }

      /** See {@link Options#wal()}. */
      public Builder wal(Path value) {
        wal = value;
        return this;
      }

      /** See {@link Options#walFiles()}. */
      public Builder walFiles(FileOps value) {
        walFiles = Objects.requireNonNull(value, "walFiles");
        return this;
      }

      /** The options. */
      public Options build() {
        return new Options(host, port, threads, searchModel, recommendModel, keys, maxConcurrency, ratePerSecond,
            burst, cacheTtl, tls, wal, walFiles);
      }
    }
  }

  /** Starts serving {@code snapshot}, taking ownership of it (closed here if starting fails). */
  public static MagpieServer start(Snapshot snapshot, Options options) throws IOException {
    SslContext ssl;
    CachingEmbedder embedder;
    try {
      ssl = options.tls() == null ? null : options.tls().serverContext();
      embedder = embeddedByModel(snapshot) ? queryEmbedder() : null;
    } catch (RuntimeException e) {
      snapshot.close();
      throw e;
    }
    try {
      return new MagpieServer(snapshot, embedder, ssl, options);
    } catch (IOException | RuntimeException e) {
      if (embedder != null) {
        embedder.close();
      }
      throw e;
    }
  }

  /** Query vectors kept at most: about 1.5 KB each at 384 dimensions. */
  static final int QUERY_VECTORS = 10_000;

  /**
   * The built-in model behind a cache of recent query vectors: agents and shoppers repeat queries,
   * and a query's embedding is most of a search's CPU (about 3 ms of MiniLM on this machine). Unlike
   * kept answers, a vector stays valid across updates, filters and k.
   */
  private static CachingEmbedder queryEmbedder() {
    return new CachingEmbedder(new MiniLmEmbedder(), QUERY_VECTORS);
  }

  /** Whether a model embedded {@code snapshot}'s catalog, so queries are embedded with it too. */
  private static boolean embeddedByModel(Snapshot snapshot) {
    return snapshot.vectors() != null
        && snapshot.manifest().build().containsKey(dev.magpie.engine.embed.Embedder.MANIFEST_PARAMETER);
  }

  /**
   * Niceness of the request threads (Linux; 0 leaves them at the JVM's): searches that fill every
   * core yield to the network threads, so sheds and lookups are answered without waiting for a time
   * slice behind them. {@code -Dmagpie.rpc.niceness=N} changes it (0 to 19).
   */
  static final int REQUEST_NICENESS = Integer.getInteger("magpie.rpc.niceness", 10);

  /** Owns {@code snapshot} from the first line: every failure closes it once. */
  private MagpieServer(Snapshot snapshot, CachingEmbedder embedder, SslContext ssl, Options o) throws IOException {
    this.options = o;
    this.embedder = embedder;
    Engine first;
    try {
      first = new Engine(snapshot, embedder, o.searchModel(), o.recommendModel(), o.cacheTtl());
    } catch (RuntimeException e) {
      snapshot.close();
      throw e;
    }
    this.engines = new Engines(first);
    try {
      this.live = o.wal() == null ? null : LiveUpdates.open(o.wal(), o.walFiles(), engines);
    } catch (IOException | RuntimeException e) {
      engines.close();
      throw new IOException("write-ahead log " + o.wal() + ": " + e.getMessage(), e);
    }
    this.executor = Executors.newFixedThreadPool(o.threads(), named("magpie-rpc-", REQUEST_NICENESS));
    // Adaptive between half the request threads and all of them, starting at all: a call the limit
    // admits finds a thread free instead of a queue. Searches are CPU-bound, so a queue only adds
    // latency: under 5x overload on the sample (2 cores, 4 threads) admitted p99 was 6.3x the
    // unloaded one with up to 50 calls per thread, 3.9x with 2, 1.5x with 1. The limit falls when
    // latency rises (a slow machine, a collector pause). Updates hand off and do not hold a slot.
    this.limiter = new ConcurrencyLimitInterceptor(o.maxConcurrency(), Math.max(1, o.threads() / 2), o.threads(),
        o.threads(), Set.of(MagpieGrpc.SERVICE_NAME), Set.of(MagpieGrpc.getGetItemsMethod().getFullMethodName()),
        Set.of(MagpieGrpc.getUpdateItemsMethod().getFullMethodName(),
            MagpieGrpc.getRecordEventsMethod().getFullMethodName()));
    this.rateLimiter = o.ratePerSecond() > 0 ? new RateLimitInterceptor(o.ratePerSecond(), o.burst(),
        Set.of(MagpieGrpc.SERVICE_NAME), System::nanoTime) : null;
    this.health = new HealthStatusManager();
    registerMetrics();
    try {
      this.server = transport(o, ssl).start();
    } catch (IOException e) {
      stopOwned();
      throw new IOException("cannot listen on " + o.host() + ":" + o.port() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      stopOwned();
      throw e;
    }
    health.setStatus("", io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
    health.setStatus(MagpieGrpc.SERVICE_NAME, io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
  }

  /** The gRPC server: services, interceptors, executors and TLS, not yet started. */
  private Server transport(Options o, SslContext ssl) {
    // Lookups (microseconds of work) run on the transport thread that read them: a hand-off to the
    // pool would cost more than the lookup; so do calls already over capacity, refused there at once
    // rather than after queuing behind the work that filled the pool. Everything else runs on the
    // pool, so a search never holds up the event loop.
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(o.host(), o.port()))
        .directExecutor()
        .callExecutor(new ServerCallExecutorSupplier() {
          @Override
          public <Q, A> Executor getExecutor(ServerCall<Q, A> call, Metadata metadata) {
            // A call over capacity stays on the transport thread too, to be refused at once.
            return INLINE.contains(call.getMethodDescriptor().getFullMethodName())
                || !limiter.triage(call, metadata) ? null : executor;
          }
        })
        .addService(UnparsableRequests.refused(
            new MagpieService(engines, () -> Brownout.level(limiter.inFlight(), limiter.limit()), live).bindService()))
        .addService(UnparsableRequests.refused(new AdminService(engines, this::reload, limiter, live).bindService()))
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance());
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    // Interceptors run last added first: authentication, the client's rate limit, then the
    // concurrency limit (an unknown or over-eager caller never takes a slot).
    builder.intercept(limiter);
    if (rateLimiter != null) {
      builder.intercept(rateLimiter);
    }
    if (o.keys() != null) {
      builder.intercept(new AuthInterceptor(o.keys(), Map.of(MagpieGrpc.SERVICE_NAME, Role.READ,
          MagpieGrpc.getUpdateItemsMethod().getFullMethodName(), Role.WRITE,
          MagpieGrpc.getRecordEventsMethod().getFullMethodName(), Role.WRITE,
          AdminGrpc.SERVICE_NAME, Role.ADMIN)));
    }
    builder.intercept(new MetricsInterceptor(metrics));
    return builder.build();
  }

  /** Counters and gauges read from the protection layers and the current engine when scraped. */
  private void registerMetrics() {
    FunctionCounter.builder("magpie.shed", limiter, ConcurrencyLimitInterceptor::shed)
        .description("calls refused by the concurrency limit").register(metrics);
    FunctionCounter.builder("magpie.shed.over.share", limiter, ConcurrencyLimitInterceptor::shedOverShare)
        .description("of those, calls whose client held its fair share with the limit nearly reached")
        .register(metrics);
    Gauge.builder("magpie.concurrency.limit", limiter, ConcurrencyLimitInterceptor::limit)
        .description("the concurrency limit now").register(metrics);
    Gauge.builder("magpie.in.flight", limiter, ConcurrencyLimitInterceptor::inFlight)
        .description("calls in flight under the limit").register(metrics);
    if (rateLimiter != null) {
      FunctionCounter.builder("magpie.rate.limited", rateLimiter, RateLimitInterceptor::refused)
          .description("calls refused by per-client rate limits").register(metrics);
    }
    if (live != null) {
      FunctionCounter.builder("magpie.wal.commits", live, LiveUpdates::commits)
          .description("write-ahead log commits (one fsync each)").register(metrics);
      FunctionCounter.builder("magpie.wal.records", live, LiveUpdates::records)
          .description("updates and events committed to the write-ahead log").register(metrics);
      FunctionCounter.builder("magpie.wal.skipped", live, LiveUpdates::skipped)
          .description("logged updates that no longer applied to the snapshot served").register(metrics);
    }
    Gauge.builder("magpie.cache.hits", engines, e -> e.current().answers.hits())
        .description("reads (search, recommend, similar items) answered from kept answers since the snapshot was loaded").register(metrics);
    Gauge.builder("magpie.coalesced", engines, e -> e.current().answers.coalesced())
        .description("reads that shared an identical call in flight since the snapshot was loaded")
        .register(metrics);
    Gauge.builder("magpie.search.degraded", engines, e -> e.current().answers.degraded())
        .description("searches answered with stages skipped (brownout) since the snapshot was loaded")
        .register(metrics);
  }

  /** The server's metrics (calls by method and code with latency histograms, sheds, cache, brownout). */
  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  /**
   * Opens {@code path} (a store's live version, or a version directory), verified, and makes it the
   * snapshot new calls run on; calls in flight finish on the old one, closed after the last.
   *
   * @throws IllegalArgumentException naming the snapshot when it cannot be opened
   */
  ReloadResponse reload(Path path) {
    if (live == null) {
      return reloadNow(path);
    }
    // On the log's writer, between commits: the log's tail is replayed into the new snapshot and it
    // is swapped in with no update committed in between.
    try {
      return live.exclusive(() -> reloadNow(path)).join();
    } catch (java.util.concurrent.CompletionException e) {
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
      throw new InvalidRequestException("snapshot", "cannot open '" + path + "': " + e.getMessage(), e);
    }
    try {
      if (embeddedByModel(next) && embedder == null) {
        embedder = queryEmbedder();
      }
      Engine fresh = new Engine(next, embedder, options.searchModel(), options.recommendModel(), options.cacheTtl());
      if (live != null) {
        try {
          live.replay(fresh);
        } catch (IOException e) {
          throw new InvalidRequestException("snapshot", e.getMessage(), e);
        }
      }
      Engine old = engines.current();
      int previous = old.snapshot.manifest().version();
      engines.swap(fresh);
      return ReloadResponse.newBuilder().setPreviousVersion(previous).setVersion(next.manifest().version())
          .setSnapshotDir(next.dir().toString()).setItems(next.items().size()).build();
    } catch (RuntimeException e) {
      next.close();
      throw e;
    }
  }

  /** Stops the request pool, the log's writer (committing what waits) and the engines. */
  private void stopOwned() {
    executor.shutdownNow();
    if (live != null) {
      try {
        live.close();
      } catch (IOException e) {
        java.util.logging.Logger.getLogger(MagpieServer.class.getName()).warning(
            "closing the write-ahead log: " + e.getMessage());
      }
    }
    engines.close();
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
      Thread t = new Thread(niceness == 0 ? r : () -> {
        ThreadNiceness.setCurrent(niceness);
        r.run();
      }, prefix + n.incrementAndGet());
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
    stopOwned();
    synchronized (this) {
      if (embedder != null) {
        embedder.close();
      }
    }
  }
}
