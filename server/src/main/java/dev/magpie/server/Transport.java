package dev.magpie.server;

import dev.magpie.api.v1.AdminGrpc;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.ShardGrpc;
import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Assembles the gRPC transport (Netty) around the handlers: where each call runs, the protection
 * interceptors in their order, the role each method needs, health checking, reflection and TLS.
 * Knows nothing of what the handlers do; {@link MagpieServer} owns what it is given.
 */
final class Transport {
  /** Methods cheap enough to run on the transport thread. */
  private static final Set<String> INLINE =
      Set.of(
          MagpieGrpc.getGetItemsMethod().getFullMethodName(),
          HealthGrpc.getCheckMethod().getFullMethodName());

  /** The role each service or method needs: reads for the Magpie service, writes for updates. */
  static final Map<String, Role> ROLES =
      Map.of(
          MagpieGrpc.SERVICE_NAME,
          Role.READ,
          MagpieGrpc.getUpdateItemsMethod().getFullMethodName(),
          Role.WRITE,
          MagpieGrpc.getRecordEventsMethod().getFullMethodName(),
          Role.WRITE,
          AdminGrpc.SERVICE_NAME,
          Role.ADMIN,
          ShardGrpc.SERVICE_NAME,
          Role.READ);

  private Transport() {}

  /**
   * Builds and starts the server with {@code protection}'s interceptors and per-method metrics on
   * {@code registry}.
   *
   * @throws IOException naming the address when it cannot listen
   */
  static Server start(
      ServerConfig config,
      SslContext ssl,
      List<BindableService> handlers,
      HealthStatusManager health,
      ExecutorService requests,
      Protection protection,
      MeterRegistry registry)
      throws IOException {
    try {
      return build(
              config,
              ssl,
              handlers,
              health,
              requests,
              protection.limiter(),
              protection.rateLimiter(),
              new MetricsInterceptor(registry))
          .start();
    } catch (IOException e) {
      throw new IOException(
          "cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The server, not yet started.
   *
   * @param handlers the Magpie and Admin services; requests that do not parse are refused for them
   * @param ssl the TLS context, or null for plaintext
   * @param rateLimiter the per-client rate limit, or null for none
   * @param metrics counts every call by method and code
   */
  static Server build(
      ServerConfig config,
      SslContext ssl,
      List<BindableService> handlers,
      HealthStatusManager health,
      ExecutorService requests,
      ConcurrencyLimitInterceptor limiter,
      RateLimitInterceptor rateLimiter,
      MetricsInterceptor metrics) {
    // Lookups (microseconds of work) run on the transport thread that read them: a hand-off to the
    // pool would cost more than the lookup; so do calls already over capacity, refused there at
    // once
    // rather than after queuing behind the work that filled the pool. Everything else runs on the
    // pool, so a search never holds up the event loop.
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()))
            .directExecutor()
            .callExecutor(
                new ServerCallExecutorSupplier() {
                  @Override
                  public <Q, A> Executor getExecutor(ServerCall<Q, A> call, Metadata metadata) {
                    // A call over capacity stays on the transport thread too, to be refused at
                    // once.
                    return INLINE.contains(call.getMethodDescriptor().getFullMethodName())
                            || !limiter.triage(call, metadata)
                        ? null
                        : requests;
                  }
                });
    for (BindableService handler : handlers) {
      builder.addService(UnparsableRequests.refused(handler.bindService()));
    }
    builder
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance());
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    // Interceptors run last added first: metrics, authentication, the client's rate limit, then the
    // concurrency limit (an unknown or over-eager caller never takes a slot).
    builder.intercept(limiter);
    if (rateLimiter != null) {
      builder.intercept(rateLimiter);
    }
    if (config.keys() != null) {
      builder.intercept(new AuthInterceptor(config.keys(), ROLES));
    }
    builder.intercept(metrics);
    return builder.build();
  }

  /**
   * Graceful shutdown: health turns NOT_SERVING, new calls are refused, calls in flight get up to
   * {@code graceSeconds}, then the rest are cut.
   */
  static void stop(Server server, HealthStatusManager health, long graceSeconds) {
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(graceSeconds, TimeUnit.SECONDS)) {
        server.shutdownNow();
        server.awaitTermination(graceSeconds, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
