package dev.magpie.cli.cluster;

import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.cli.MagpieMain;
import dev.magpie.engine.route.ClusterDirectory;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A sharded Magpie on loopback: a Kafka broker (KRaft, a child JVM), S shard stores built in one
 * pass that record where the update log begins, S × R shard replicas ({@code magpie serve
 * --updates-kafka}, a child JVM each) and the router ({@code magpie route}), each started once the
 * ones it needs are ready. What {@code magpie cluster local} runs, and what the fault trials kill
 * and restart. {@link #close()} stops the router, the replicas and the broker, in that order.
 */
public final class LocalCluster implements AutoCloseable {
  /** The update topic's name. */
  public static final String TOPIC = "magpie-updates";

  /** How long a process gets to become ready. */
  private static final long READY_SECONDS = 180;

  /**
   * What to start.
   *
   * @param shards S, a power of two
   * @param replicas R, replicas of each shard
   * @param loadArgs what {@code magpie load} reads (--catalog ... ; none: the bundled sample)
   * @param out where the broker's data, the shard stores and the logs go (new or empty)
   * @param port the router's port
   * @param heap each child JVM's heap ("1g")
   * @param servingArgs more options for every replica and the router (--max-concurrency 64)
   */
  public record Options(
      int shards,
      int replicas,
      List<String> loadArgs,
      Path out,
      int port,
      String heap,
      List<String> servingArgs) {
    /** Options with no extra serving options. */
    public Options(
        int shards, int replicas, List<String> loadArgs, Path out, int port, String heap) {
      this(shards, replicas, loadArgs, out, port, heap, List.of());
    }
  }

  /**
   * One running process of the cluster.
   *
   * @param name "kafka", "shard S replica R" or "router"
   * @param process the child process
   * @param port where it listens
   * @param log its output
   */
  public record Member(String name, Process process, int port, Path log) {}

  private final Options options;
  private final LocalBroker broker;
  private final Path stores;
  private final Member[][] replicas;
  private Member router;

  private LocalCluster(Options options, LocalBroker broker, Path stores) {
    this.options = options;
    this.broker = broker;
    this.stores = stores;
    this.replicas = new Member[options.shards()][options.replicas()];
  }

  /**
   * Starts the whole cluster; {@code progress} hears of each step.
   *
   * @throws IOException naming what did not start, with the end of its log; whatever had started is
   *     stopped
   */
  public static LocalCluster start(Options options, PrintWriter progress)
      throws IOException, InterruptedException {
    Path out = options.out().toAbsolutePath();
    if (Files.isDirectory(out)) {
      try (var entries = Files.list(out)) {
        if (entries.findAny().isPresent()) {
          throw new IOException(out + " is not empty: give a new directory for the cluster");
        }
      }
    }
    Files.createDirectories(out);
    progress.println("Starting a Kafka broker (KRaft) on loopback...");
    progress.flush();
    LocalBroker broker = LocalBroker.start(out.resolve("kafka"), options.heap());
    LocalCluster cluster = new LocalCluster(options, broker, out.resolve("shards"));
    try {
      cluster.build(progress);
      for (int s = 0; s < options.shards(); s++) {
        for (int r = 0; r < options.replicas(); r++) {
          cluster.replicas[s][r] = cluster.startReplica(s, r, ChildJvm.freePort());
        }
      }
      for (Member[] shard : cluster.replicas) {
        for (Member m : shard) {
          awaitServing(m);
        }
      }
      cluster.router = cluster.startRouter();
      awaitServing(cluster.router);
      return cluster;
    } catch (IOException | RuntimeException | InterruptedException e) {
      cluster.close();
      throw e;
    }
  }

  /** Builds the S shard stores in this JVM, recording the update log's offsets. */
  private void build(PrintWriter progress) throws IOException {
    progress.println(
        "Building " + options.shards() + " shards into " + stores + " (topic " + TOPIC + ")...");
    progress.flush();
    List<String> args = new ArrayList<>(List.of("load"));
    args.addAll(options.loadArgs());
    args.addAll(
        List.of(
            "--shards",
            String.valueOf(options.shards()),
            "--out",
            stores.toString(),
            "--updates-kafka",
            broker.bootstrap(),
            "--updates-topic",
            TOPIC,
            "--show",
            "0"));
    int loaded =
        MagpieMain.commandLine()
            .setOut(progress)
            .setErr(progress)
            .execute(args.toArray(new String[0]));
    if (loaded != 0) {
      throw new IOException("magpie load failed (exit " + loaded + ")");
    }
  }

  private Member startReplica(int shard, int replica, int port) throws IOException {
    String name = "shard " + shard + " replica " + replica;
    Path log =
        options
            .out()
            .toAbsolutePath()
            .resolve("logs")
            .resolve("shard-" + shard + "-" + replica + ".log");
    List<String> args =
        new ArrayList<>(
            List.of(
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--metrics-port",
                "-1",
                "--snapshot",
                ClusterDirectory.shardStore(stores, shard).toString(),
                "--updates-kafka",
                broker.bootstrap(),
                "--updates-topic",
                TOPIC));
    args.addAll(options.servingArgs());
    Process p =
        ChildJvm.start(ChildJvm.command(MagpieMain.class.getName(), options.heap(), args), log);
    return new Member(name, p, port, log);
  }

  private Member startRouter() throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "route",
                "--host",
                "127.0.0.1",
                "--port",
                String.valueOf(options.port()),
                "--metrics-port",
                "-1",
                "--updates-kafka",
                broker.bootstrap(),
                "--updates-topic",
                TOPIC));
    for (int s = 0; s < options.shards(); s++) {
      StringBuilder list = new StringBuilder().append(s).append('=');
      for (int r = 0; r < options.replicas(); r++) {
        list.append(r == 0 ? "" : ",").append("127.0.0.1:").append(replicas[s][r].port());
      }
      args.add("--shard");
      args.add(list.toString());
    }
    args.addAll(options.servingArgs());
    Path log = options.out().toAbsolutePath().resolve("logs").resolve("router.log");
    Process p =
        ChildJvm.start(ChildJvm.command(MagpieMain.class.getName(), options.heap(), args), log);
    return new Member("router", p, options.port(), log);
  }

  /** Waits until {@code m} reports magpie.v1.Magpie SERVING on its gRPC health service. */
  static void awaitServing(Member m) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", m.port()).usePlaintext().build();
    try {
      HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
      HealthCheckRequest ask =
          HealthCheckRequest.newBuilder().setService(MagpieGrpc.SERVICE_NAME).build();
      while (true) {
        if (!m.process().isAlive()) {
          throw new IOException(
              m.name()
                  + " exited ("
                  + m.process().exitValue()
                  + "):\n"
                  + ChildJvm.tail(m.log(), 20));
        }
        try {
          if (health.withDeadlineAfter(2, TimeUnit.SECONDS).check(ask).getStatus()
              == HealthCheckResponse.ServingStatus.SERVING) {
            return;
          }
        } catch (StatusRuntimeException e) {
          // not listening yet
        }
        if (System.nanoTime() > deadline) {
          throw new IOException(
              m.name()
                  + " was not ready in "
                  + READY_SECONDS
                  + " s:\n"
                  + ChildJvm.tail(m.log(), 20));
        }
        Thread.sleep(100);
      }
    } finally {
      channel.shutdownNow();
    }
  }

  /** The broker's "host:port". */
  public String bootstrap() {
    return broker.bootstrap();
  }

  /** The router. */
  public Member router() {
    return router;
  }

  /** Replica {@code replica} of shard {@code shard}. */
  public Member replica(int shard, int replica) {
    return replicas[shard][replica];
  }

  /** Kills a replica at once (SIGKILL), as a crash would. */
  public void kill(int shard, int replica) throws InterruptedException {
    Process p = replicas[shard][replica].process();
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * Starts a replica again on its port, from its shard's store and the offset that store records,
   * and waits until it has replayed its partition and is ready.
   */
  public Member restart(int shard, int replica) throws IOException, InterruptedException {
    Member before = replicas[shard][replica];
    if (before.process().isAlive()) {
      throw new IllegalStateException(before.name() + " is still running");
    }
    Member m = startReplica(shard, replica, before.port());
    replicas[shard][replica] = m;
    awaitServing(m);
    return m;
  }

  /** Kills the broker at once (SIGKILL). */
  public void killBroker() throws InterruptedException {
    broker.kill();
  }

  /** Starts the broker again over its storage and waits until it answers. */
  public void restartBroker() throws IOException, InterruptedException {
    broker.restart();
  }

  /** One line per process: name, pid, address, log. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    line(sb, "kafka", broker.process(), broker.port(), broker.log());
    for (Member[] shard : replicas) {
      for (Member m : shard) {
        if (m != null) {
          line(sb, m.name(), m.process(), m.port(), m.log());
        }
      }
    }
    if (router != null) {
      line(sb, router.name(), router.process(), router.port(), router.log());
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String name, Process p, int port, Path log) {
    sb.append(
        String.format(Locale.ROOT, "%-20s pid %-8d 127.0.0.1:%-6d %s%n", name, p.pid(), port, log));
  }

  @Override
  public void close() {
    if (router != null) {
      ChildJvm.stop(router.process(), 15);
    }
    for (Member[] shard : replicas) {
      for (Member m : shard) {
        if (m != null) {
          ChildJvm.stop(m.process(), 15);
        }
      }
    }
    broker.close();
  }
}
