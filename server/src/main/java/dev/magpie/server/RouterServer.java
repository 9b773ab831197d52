package dev.magpie.server;

import dev.magpie.api.v1.DescribeRequest;
import dev.magpie.api.v1.DescribeResponse;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.cluster.log.UpdatePublisher;
import dev.magpie.cluster.log.UpdateTopic;
import dev.magpie.engine.shard.ShardFunction;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * A running router ({@code magpie route}): the {@code magpie.v1.Magpie} API over the shards of a
 * catalog, each served by one or more replicas ({@code magpie serve} over a shard's store), with
 * the same transport, authentication, rate limit, concurrency limit, brownout, health and metrics
 * as a server ({@link Transport}). Holds no catalog: {@link RouterService} merges what the shards
 * answer. {@link #close()} stops taking calls, lets those in flight finish, and closes the channels
 * to the shards.
 */
public final class RouterServer implements AutoCloseable {
  private static final long GRACE_SECONDS = 10;

  /**
   * One replica's address.
   *
   * @param host its host
   * @param port its port
   */
  public record Replica(String host, int port) {
    /** Parses "HOST:PORT", naming the text when it is not that. */
    public static Replica parse(String text) {
      int colon = text.lastIndexOf(':');
      try {
        if (colon > 0) {
          int port = Integer.parseInt(text.substring(colon + 1));
          if (port > 0 && port < 65536) {
            return new Replica(text.substring(0, colon), port);
          }
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("'" + text + "': give a replica as HOST:PORT");
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  private static final Logger LOG = Logger.getLogger(RouterServer.class.getName());

  private final List<ShardGroup> groups = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final ScheduledExecutorService timer;
  private final ExecutorService executor;
  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HealthStatusManager health = new HealthStatusManager();
  private final Server server;

  /** Publishes writes to the cluster's update log; null without one (writes refused). */
  private final UpdatePublisher publisher;

  /** Asks the replicas for their load until one answers, when none did at start; else null. */
  private ScheduledExecutorService learner;

  private volatile String routed;

  /**
   * Starts routing over {@code shards} (shard i's replicas at index i; a power of two of shards) as
   * {@code config} says: its host, port, keys, TLS, limits and search model (the reranker runs
   * here, once over every shard's candidates).
   */
  public static RouterServer start(List<List<Replica>> shards, ServerConfig config)
      throws IOException {
    return new RouterServer(shards, config, ShardAccess.PLAINTEXT);
  }

  /**
   * As {@link #start(List, ServerConfig)}, presenting {@code shardKey} to the shard servers (which
   * then need a key with the read role), or no key when null.
   */
  public static RouterServer start(List<List<Replica>> shards, ServerConfig config, String shardKey)
      throws IOException {
    return new RouterServer(shards, config, new ShardAccess(shardKey, null));
  }

  /** As {@link #start(List, ServerConfig)}, reaching the shard servers as {@code access} says. */
  public static RouterServer start(
      List<List<Replica>> shards, ServerConfig config, ShardAccess access) throws IOException {
    return new RouterServer(shards, config, access);
  }

  private RouterServer(List<List<Replica>> shards, ServerConfig config, ShardAccess access)
      throws IOException {
    ShardFunction.checkCount(shards.size());
    this.timer =
        Executors.newSingleThreadScheduledExecutor(MagpieServer.named("magpie-route-hedge-"));
    for (int s = 0; s < shards.size(); s++) {
      List<ShardReplica> replicas = new ArrayList<>();
      for (Replica r : shards.get(s)) {
        replicas.add(new ShardReplica(r.host(), r.port(), access));
      }
      groups.add(new ShardGroup(s, replicas, timer));
    }
    try {
      String build = checkShards(groups, warnings);
      if (build != null) {
        expect(build);
      } else {
        // Replicas that start with the router (Kubernetes starts them together): learn the load
        // from the first to answer.
        warnings.add(
            "no replica answered yet: the router learns the load from the first to answer");
        this.learner =
            Executors.newSingleThreadScheduledExecutor(MagpieServer.named("magpie-route-learn-"));
        learner.scheduleWithFixedDelay(this::learnBuild, 1, 1, TimeUnit.SECONDS);
      }
      this.publisher = config.updates() == null ? null : publisher(config.updates(), groups.size());
    } catch (RuntimeException e) {
      if (learner != null) {
        learner.shutdownNow();
      }
      timer.shutdownNow();
      for (ShardGroup g : groups) {
        g.close();
      }
      throw e;
    }
    this.executor =
        Executors.newFixedThreadPool(config.threads(), MagpieServer.named("magpie-route-"));
    Protection protection = Protection.of(config, Set.of(MagpieGrpc.SERVICE_NAME));
    protection.register(metrics);
    FunctionCounter.builder("magpie.router.hedges", this, RouterServer::hedges)
        .description("shard calls sent to a second replica because the first was slow")
        .register(metrics);
    FunctionCounter.builder("magpie.router.failovers", this, RouterServer::failovers)
        .description("shard calls sent to another replica because one failed")
        .register(metrics);
    List<BindableService> handlers =
        List.of(
            new RouterService(
                groups,
                config.searchModel(),
                config.recommendModel(),
                protection.brownout(),
                publisher,
                executor));
    try {
      SslContext ssl = config.tls() == null ? null : config.tls().serverContext();
      this.server = Transport.start(config, ssl, handlers, health, executor, protection, metrics);
    } catch (IOException | RuntimeException e) {
      closeOwned();
      throw e;
    }
    health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
    health.setStatus(MagpieGrpc.SERVICE_NAME, HealthCheckResponse.ServingStatus.SERVING);
  }

  /**
   * Asks every replica which shard it serves (Describe) and refuses a cluster that does not hold
   * together: a replica of another shard, of another shard count, or of another load than the rest
   * would merge answers scored over different catalogs. A replica that does not answer yet is
   * reported on {@code warnings} and left to join later; every call names the load to it, and it
   * refuses the calls should it serve another then ({@link BuildGuard}).
   *
   * @return the load the replicas that answered serve, or null when none answered
   * @throws IllegalArgumentException naming the replica and what it serves
   */
  static String checkShards(List<ShardGroup> groups, List<String> warnings) {
    String build = null;
    String buildAt = null;
    for (ShardGroup g : groups) {
      for (ShardReplica r : g.replicas()) {
        DescribeResponse d;
        try {
          d =
              r.shard()
                  .withDeadlineAfter(5, TimeUnit.SECONDS)
                  .describe(DescribeRequest.getDefaultInstance())
                  .get(6, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          Status.Code code = Status.fromThrowable(e.getCause()).getCode();
          if (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED) {
            throw new IllegalArgumentException(
                "replica "
                    + r.address()
                    + " of shard "
                    + g.shard()
                    + " refuses the router ("
                    + code
                    + "): give the router a key with the read role there ($MAGPIE_SHARD_KEY)");
          }
          warnings.add(notYet(r, g, e));
          continue;
        } catch (TimeoutException e) {
          warnings.add(notYet(r, g, e));
          continue;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return build;
        }
        if (d.getShard() != g.shard() || d.getShards() != groups.size()) {
          throw new IllegalArgumentException(
              "replica "
                  + r.address()
                  + " given as shard "
                  + g.shard()
                  + " of "
                  + groups.size()
                  + " serves shard "
                  + d.getShard()
                  + " of "
                  + d.getShards());
        }
        if (build == null) {
          build = d.getBuild();
          buildAt = r.address();
        } else if (!build.equals(d.getBuild())) {
          throw new IllegalArgumentException(
              "replica "
                  + r.address()
                  + " serves the load "
                  + d.getBuild()
                  + ", "
                  + buildAt
                  + " the load "
                  + build
                  + ": a cluster serves one load's shards");
        }
      }
    }
    return build;
  }

  /**
   * A publisher to the cluster's update topic, which must exist with a partition per shard.
   *
   * @throws IllegalArgumentException naming the topic and what is wrong with it
   */
  private static UpdatePublisher publisher(ServerConfig.UpdateLog log, int shards) {
    UpdateTopic topic = new UpdateTopic(log.topic(), shards);
    try {
      topic.check(log.bootstrap());
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalArgumentException(
          "the update log at " + log.bootstrap() + " does not answer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return new UpdatePublisher(log.bootstrap(), topic, "magpie-router");
  }

  private static String notYet(ShardReplica r, ShardGroup g, Exception e) {
    return "replica "
        + r.address()
        + " of shard "
        + g.shard()
        + " does not answer yet: "
        + e.getMessage();
  }

  /** What the router found wrong but not fatal at start (a replica not answering yet). */
  public List<String> warnings() {
    return warnings;
  }

  /** The port the router listens on. */
  public int port() {
    return server.getPort();
  }

  /** The router's metrics (calls by method and code, with latency histograms). */
  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  /** Hedged calls sent to a second replica so far, over all shards. */
  public long hedges() {
    return groups.stream().mapToLong(ShardGroup::hedges).sum();
  }

  /** Calls sent to another replica after one failed, over all shards. */
  public long failovers() {
    return groups.stream().mapToLong(ShardGroup::failovers).sum();
  }

  /** One line per shard: its replicas. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (ShardGroup g : groups) {
      sb.append(String.format(Locale.ROOT, "shard %d:", g.shard()));
      for (ShardReplica r : g.replicas()) {
        sb.append(' ').append(r.address());
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Blocks until the router has stopped. */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /** Names {@code build} on every later call to every replica ({@link BuildGuard}). */
  private void expect(String build) {
    for (ShardGroup g : groups) {
      g.replicas().forEach(r -> r.expect(build));
    }
    routed = build;
  }

  /** The load this router routes, or null while no replica has said. */
  String routedBuild() {
    return routed;
  }

  /** Asks the replicas which load they serve; once one answers, names it on every call. */
  private void learnBuild() {
    try {
      String build = checkShards(groups, new ArrayList<>());
      if (build != null) {
        expect(build);
        LOG.info("routing the load " + build);
        learner.shutdown();
      }
    } catch (RuntimeException e) {
      LOG.warning("checking the replicas: " + e.getMessage());
    }
  }

  private void closeOwned() {
    if (learner != null) {
      learner.shutdownNow();
    }
    if (publisher != null) {
      publisher.close();
    }
    executor.shutdownNow();
    timer.shutdownNow();
    for (ShardGroup g : groups) {
      g.close();
    }
  }

  @Override
  public void close() {
    Transport.stop(server, health, GRACE_SECONDS);
    closeOwned();
  }
}
