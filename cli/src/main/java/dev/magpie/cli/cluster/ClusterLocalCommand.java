package dev.magpie.cli.cluster;

import dev.magpie.cli.MagpieSubcommand;
import dev.magpie.engine.shard.ShardFunction;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code magpie cluster local}: a Kafka broker, S shards built from the catalog, S × R replicas and
 * the router, all on loopback, until Ctrl-C.
 */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description =
        "Starts a sharded Magpie on this machine: a Kafka broker (KRaft, from Kafka's own jars),"
            + " the catalog built into S shards that record where the update log begins, R"
            + " replicas of each shard following it, and the router on --port; prints each"
            + " process's pid and port and stops them all on Ctrl-C.",
    footer = {
      "",
      "Examples:",
      "  magpie cluster local --shards 4 --replicas 2 --out /tmp/cluster    # the bundled sample",
      "  magpie cluster local --shards 2 --replicas 1 --catalog items.jsonl --out /tmp/c --port 7500",
      "  magpie query search \"trail shoe\" --port 7420                        # then, as with one server"
    })
public final class ClusterLocalCommand implements MagpieSubcommand {
  @Spec CommandSpec spec;

  @Option(
      names = "--shards",
      defaultValue = "2",
      paramLabel = "S",
      description = "Shards, a power of two (default: ${DEFAULT-VALUE}).")
  int shards;

  @Option(
      names = "--replicas",
      defaultValue = "2",
      paramLabel = "R",
      description = "Replicas of each shard (default: ${DEFAULT-VALUE}).")
  int replicas;

  @Option(
      names = "--catalog",
      paramLabel = "FILE",
      description = "Catalog file(s) to load, as for magpie load (default: the bundled sample).")
  List<Path> catalogs = new ArrayList<>();

  @Option(
      names = "--no-embed",
      description =
          "Load the catalog without embedding it (text search only): a faster start, as for"
              + " magpie load.")
  boolean noEmbed;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "A new or empty directory for the broker's data, the shards and the logs.")
  Path dir;

  @Option(
      names = "--port",
      defaultValue = "7420",
      paramLabel = "P",
      description = "The router's port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--heap",
      defaultValue = "1g",
      paramLabel = "SIZE",
      description = "Heap of each process (default: ${DEFAULT-VALUE}).")
  String heap;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      ShardFunction.checkCount(shards);
    } catch (IllegalArgumentException e) {
      err.println("magpie cluster local: --shards " + shards + ": " + e.getMessage());
      return USAGE;
    }
    if (replicas < 1 || replicas > 8 || port < 1 || port > 65535 || !heap.matches("\\d+[kKmMgG]")) {
      err.println(
          "magpie cluster local: give --replicas 1 to 8, --port 1 to 65535 and --heap as 512m or"
              + " 1g");
      return USAGE;
    }
    List<String> load = new ArrayList<>();
    for (Path c : catalogs) {
      load.add("--catalog");
      load.add(c.toString());
    }
    if (noEmbed) {
      load.add("--no-embed");
    }
    LocalCluster cluster;
    try {
      cluster =
          LocalCluster.start(
              new LocalCluster.Options(shards, replicas, load, dir, port, heap), out);
    } catch (IOException e) {
      err.println("magpie cluster local: " + e.getMessage());
      return FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FAILED;
    }
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping.set(true);
                  cluster.close();
                },
                "magpie-cluster-stop"));
    out.print(cluster.describe());
    out.printf(
        "Magpie cluster: %d shards x %d replicas behind the router on 127.0.0.1:%d; updates on"
            + " %s topic %s. Ctrl-C stops every process.%n",
        shards, replicas, port, cluster.bootstrap(), LocalCluster.TOPIC);
    out.flush();
    try {
      cluster.router().process().waitFor();
      if (!stopping.get()) {
        err.println(
            "magpie cluster local: the router exited ("
                + cluster.router().process().exitValue()
                + "); stopping the rest. See "
                + cluster.router().log());
        cluster.close();
        return FAILED;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return OK;
  }
}
