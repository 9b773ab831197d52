package dev.magpie.cli.serve;

import dev.magpie.cli.MagpieSubcommand;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.shard.ShardFunction;
import dev.magpie.server.RouterServer;
import dev.magpie.server.ServerConfig;
import dev.magpie.server.ShardAccess;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code magpie route}: a stateless router that serves {@code magpie.v1} over the shards of a
 * catalog, each shard served by one or more replicas ({@code magpie serve --snapshot
 * DIR/shard-NNNN}), until stopped.
 */
@Command(
    name = "route",
    mixinStandardHelpOptions = true,
    description = {
      "Routes magpie.v1 calls over the shards of a catalog (magpie load --shards S), each shard served by",
      "one or more replicas (magpie serve --snapshot OUT/shard-NNNN): a search goes to one replica of every",
      "shard (a second one when the first is slow, the next one when it fails), and the answers are merged",
      "as one server over the whole catalog would answer. Every magpie.v1.Magpie call is routed (writes",
      "with --updates-kafka); Admin stays with each server. Shard servers started with --keys need the",
      "router to present a key with the read role there: put it in $MAGPIE_SHARD_KEY. Shard servers",
      "started with TLS need --shard-tls-trust."
    },
    footer = {
      "",
      "Examples:",
      "  magpie route --port 7420 --shard 0=127.0.0.1:7501,127.0.0.1:7511 --shard 1=127.0.0.1:7502,127.0.0.1:7512"
    })
public final class RouteCommand implements MagpieSubcommand {
  @Spec CommandSpec spec;

  @Mixin ServingOptions serving;

  @Mixin UpdateLogOptions updates;

  @Option(
      names = "--shard",
      required = true,
      paramLabel = "I=HOST:PORT[,HOST:PORT...]",
      description =
          "Shard I's replicas; once per shard, every shard from 0 to S-1 (S a power of two).")
  List<String> shards;

  @Option(
      names = "--shard-tls-trust",
      paramLabel = "PEM",
      description =
          "Call the shard servers over TLS, trusting the certificates in this PEM file (theirs, or"
              + " the authority that signed them). Without it the router calls them in plaintext.")
  Path shardTlsTrust;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<List<RouterServer.Replica>> replicas;
    try {
      replicas = replicas(shards);
    } catch (IllegalArgumentException e) {
      err.println("magpie route: --shard " + e.getMessage());
      return USAGE;
    }
    ServerConfig.Builder options = serving.config("magpie route", err);
    if (options == null) {
      return USAGE;
    }
    RankingModel search = serving.searchModel();
    ServerConfig config =
        options.models(search, serving.recommendModel()).updates(updates.log()).build();
    RouterServer router;
    try {
      String shardKey = System.getenv("MAGPIE_SHARD_KEY");
      ShardAccess access =
          new ShardAccess(
              shardKey == null || shardKey.isBlank() ? null : shardKey.strip(), shardTlsTrust);
      router = RouterServer.start(replicas, config, access);
    } catch (IOException | IllegalArgumentException e) {
      err.println("magpie route: " + e.getMessage());
      return FAILED;
    }
    if (!serving.metricsUntilStopped("magpie route", router.metrics(), router::close, out, err)) {
      return FAILED;
    }
    out.printf(
        Locale.ROOT,
        "Magpie routing over %d shards%s on %s:%d%s (search model %s, %d threads)%n",
        replicas.size(),
        shardTlsTrust == null ? "" : " (over TLS)",
        serving.host,
        router.port(),
        config.tls() == null ? "" : " (TLS)",
        search.name(),
        config.threads());
    out.print(router.describe());
    for (String warning : router.warnings()) {
      out.println("warning: " + warning);
    }
    out.println(
        updates.given()
            ? "Writes go to the update log " + updates + "."
            : "Writes refused (no --updates-kafka).");
    out.println(serving.keysLine(config));
    out.flush();
    try {
      router.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return OK;
  }

  /**
   * Each shard's replicas from "I=HOST:PORT,HOST:PORT" values: every shard from 0 to S-1 once, S a
   * power of two.
   */
  static List<List<RouterServer.Replica>> replicas(List<String> values) {
    TreeMap<Integer, List<RouterServer.Replica>> byShard = new TreeMap<>();
    for (String value : values) {
      int eq = value.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("'" + value + "': give I=HOST:PORT[,HOST:PORT...]");
      }
      int shard;
      try {
        shard = Integer.parseInt(value.substring(0, eq).strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + value + "': the shard number is not a number");
      }
      List<RouterServer.Replica> list = new ArrayList<>();
      for (String address : value.substring(eq + 1).split(",")) {
        list.add(RouterServer.Replica.parse(address.strip()));
      }
      if (byShard.put(shard, list) != null) {
        throw new IllegalArgumentException("shard " + shard + " is given twice");
      }
    }
    ShardFunction.checkCount(byShard.size());
    if (byShard.firstKey() != 0 || byShard.lastKey() != byShard.size() - 1) {
      throw new IllegalArgumentException(
          "give every shard from 0 to " + (byShard.size() - 1) + ", got " + byShard.keySet());
    }
    return new ArrayList<>(byShard.values());
  }
}
