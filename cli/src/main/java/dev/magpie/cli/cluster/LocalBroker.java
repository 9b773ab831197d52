package dev.magpie.cli.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka broker on loopback, from Kafka's own jars in a child JVM: one node that is both
 * controller and broker (KRaft), its storage formatted with {@code kafka.tools.StorageTool format
 * --standalone}, then {@code kafka.Kafka} run over it. {@link #close()} stops it.
 */
final class LocalBroker implements AutoCloseable {
  private final int port;
  private final Path config;
  private final Path log;
  private final String heap;
  private volatile Process process;

  private LocalBroker(Process process, int port, Path config, Path log, String heap) {
    this.process = process;
    this.port = port;
    this.config = config;
    this.log = log;
    this.heap = heap;
  }

  /**
   * Formats a new broker's storage in {@code dir} and starts it; returns once it answers.
   *
   * @throws IOException naming the step that failed, with the end of the broker's log
   */
  static LocalBroker start(Path dir, String heap) throws IOException, InterruptedException {
    int port = ChildJvm.freePort();
    int controller = ChildJvm.freePort();
    Path config = dir.resolve("server.properties");
    Path log = dir.resolve("broker.log");
    Files.createDirectories(dir);
    Files.writeString(
        config, properties(dir.resolve("data"), port, controller), StandardCharsets.UTF_8);
    List<String> format =
        ChildJvm.command(
            "kafka.tools.StorageTool",
            "256m",
            List.of(
                "format",
                "--standalone",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                config.toString()));
    int formatted = ChildJvm.run(format, log, 120);
    if (formatted != 0) {
      throw new IOException(
          "formatting the broker's storage failed (exit "
              + formatted
              + "):\n"
              + ChildJvm.tail(log, 20));
    }
    LocalBroker broker = new LocalBroker(run(config, heap, log), port, config, log, heap);
    try {
      broker.awaitReady(120);
      return broker;
    } catch (IOException | RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  private static Process run(Path config, String heap, Path log) throws IOException {
    return ChildJvm.start(ChildJvm.command("kafka.Kafka", heap, List.of(config.toString())), log);
  }

  /** Kills the broker at once (SIGKILL), as a crash would. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Starts the broker again over its storage, on its ports; returns once it answers. */
  void restart() throws IOException, InterruptedException {
    if (process.isAlive()) {
      throw new IllegalStateException("the broker is still running");
    }
    process = run(config, heap, log);
    awaitReady(120);
  }

  private static String properties(Path data, int port, int controller) {
    return String.join(
        "\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.bootstrap.servers=127.0.0.1:" + controller,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
        "advertised.listeners=PLAINTEXT://127.0.0.1:"
            + port
            + ",CONTROLLER://127.0.0.1:"
            + controller,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + data,
        "num.partitions=1",
        "auto.create.topics.enable=false",
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        // Every write acknowledged is on disk before the acknowledgement: one node has no other
        // copy to lose it to a crash.
        "log.flush.interval.messages=1",
        "");
  }

  /** Waits until the broker answers a cluster description. */
  private void awaitReady(long seconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
    try (Admin admin = Admin.create(p)) {
      while (true) {
        if (!process.isAlive()) {
          throw new IOException(
              "the broker exited (" + process.exitValue() + "):\n" + ChildJvm.tail(log, 20));
        }
        try {
          if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          // not up yet
        }
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "the broker did not answer in " + seconds + " s:\n" + ChildJvm.tail(log, 20));
        }
        Thread.sleep(200);
      }
    }
  }

  /** "127.0.0.1:PORT". */
  String bootstrap() {
    return "127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  Process process() {
    return process;
  }

  Path log() {
    return log;
  }

  @Override
  public void close() {
    ChildJvm.stop(process, 30);
  }
}
