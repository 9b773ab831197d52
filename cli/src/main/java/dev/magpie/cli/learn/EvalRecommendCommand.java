package dev.magpie.cli.learn;

import dev.magpie.engine.behaviour.BehaviourParameters;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.recommend.Diversity;
import dev.magpie.engine.shard.ShardFunction;
import dev.magpie.ingest.events.EventFormat;
import dev.magpie.learn.HeldOut;
import dev.magpie.learn.recommend.EventLog;
import dev.magpie.learn.recommend.ItemKnnSystem;
import dev.magpie.learn.recommend.MagpieRecommenderSystem;
import dev.magpie.learn.recommend.MostPopularSystem;
import dev.magpie.learn.recommend.RecommendEvaluation;
import dev.magpie.learn.recommend.RecommenderSystem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code magpie eval recommend}: leave-last-out HR, NDCG, coverage, popularity and diversity vs
 * baselines.
 */
@Command(
    name = "recommend",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluates recommendation leave-last-out on an event log: each user's latest event is hidden,",
      "Magpie and two baselines (most popular; item-kNN cosine) learn from the rest and recommend k items",
      "per user. Prints HR@k, NDCG@k, catalog coverage, the mean popularity percentile of what is",
      "recommended, intra-list diversity (with --items) and recommend latency, one row per system."
    },
    footer = {
      "",
      "Example (MovieLens):",
      "  magpie eval recommend --events ../shared/data/movielens/ratings.csv --format movielens \\",
      "      --items ../shared/data/movielens/movies.csv"
    })
public final class EvalRecommendCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin EventLogOptions log;

  @Option(
      names = "--k",
      defaultValue = "10",
      description = "Items recommended per user (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--window", description = "Magpie: co-occurrence window (default: the engine's).")
  Integer window;

  @Option(
      names = "--popularity-exponent",
      description = "Magpie: neighbour popularity exponent (default: the engine's).")
  Double exponent;

  @Option(
      names = "--neighbours",
      description = "Magpie: neighbours kept per item (default: the engine's).")
  Integer neighbours;

  @Option(
      names = "--model",
      paramLabel = "FILE",
      description =
          "Magpie: ranking model file written by magpie train (default: the built-in recommend model).")
  Path modelFile;

  @Option(
      names = "--diversity",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Magpie: MMR and per-category caps (default: on).")
  boolean diversity;

  @Option(
      names = "--exploration",
      defaultValue = "0.1",
      paramLabel = "SHARE",
      description =
          "Magpie: share of each list for items with little history (default: ${DEFAULT-VALUE}).")
  float exploration;

  @Option(
      names = "--shards",
      paramLabel = "S",
      description =
          "Also Magpie over S shards of the same training snapshot (S a power of two), loaded as"
              + " magpie load --shards splits it and asked as the router asks: its row should"
              + " match the single node's.")
  Integer shards;

  @Option(
      names = "--held-out",
      paramLabel = "FRACTION",
      description =
          "Only the users that magpie train recommend --held-out FRACTION kept out of training.")
  Double heldOut;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    EventFormat f;
    BehaviourParameters parameters;
    try {
      f = log.format();
      BehaviourParameters d = BehaviourParameters.DEFAULTS;
      parameters =
          new BehaviourParameters(
              window != null ? window : d.window(),
              exponent != null ? exponent : d.popularityExponent(),
              neighbours != null ? neighbours : d.neighbours(),
              d.complementHorizonSeconds(),
              d.complementMinSupport(),
              d.halfLifeSeconds());
      if (k < 1 || k > 1000) {
        throw new IllegalArgumentException("--k must be 1 to 1000, got " + k);
      }
      if (shards != null) {
        ShardFunction.checkCount(shards);
      }
      if (heldOut != null && !(heldOut > 0 && heldOut < 1)) {
        throw new IllegalArgumentException("--held-out must be between 0 and 1, got " + heldOut);
      }
    } catch (IllegalArgumentException e) {
      err.println("magpie eval recommend: " + e.getMessage());
      return 2;
    }
    EventLog events = log.read(f, err);
    out.printf(
        Locale.ROOT,
        "%,d events, %,d users, %,d items (%s); leave-last-out, k=%d%n",
        events.interactions().size(),
        events.interactions().users(),
        events.interactions().itemCount(),
        log.events,
        k);
    RankingModel model =
        modelFile == null ? RankingModel.RECOMMEND_DEFAULT : RankingModel.read(modelFile);
    List<RecommendEvaluation.Result> results;
    Diversity lists = diversity ? Diversity.DEFAULT : Diversity.NONE;
    try (MagpieRecommenderSystem magpie =
            new MagpieRecommenderSystem(parameters, events, model, lists, exploration);
        MagpieRecommenderSystem sharded =
            shards == null
                ? null
                : new MagpieRecommenderSystem(
                    parameters, events, model, lists, exploration, shards)) {
      List<RecommenderSystem> systems =
          new ArrayList<>(List.of(magpie, new ItemKnnSystem(), new MostPopularSystem()));
      if (sharded != null) {
        systems.add(sharded);
      }
      results =
          RecommendEvaluation.run(
              events,
              systems,
              k,
              log.minEvents,
              heldOut == null ? user -> true : user -> HeldOut.heldOut(user, heldOut));
    }
    out.printf(
        Locale.ROOT,
        "%-18s %8s %8s %9s %11s %10s %8s %8s %7s%n",
        "system",
        "HR@" + k,
        "NDCG@" + k,
        "coverage",
        "popularity",
        "diversity",
        "p50 ms",
        "p99 ms",
        "users");
    for (RecommendEvaluation.Result r : results) {
      out.printf(
          Locale.ROOT,
          "%-18s %8.4f %8.4f %9.4f %11.3f %10s %8.3f %8.3f %7d%n",
          r.name(),
          r.hitRate(),
          r.ndcg(),
          r.coverage(),
          r.popularityPercentile(),
          Double.isNaN(r.diversity()) ? "-" : String.format(Locale.ROOT, "%.3f", r.diversity()),
          r.latencyMicros().getValueAtPercentile(50) / 1000.0,
          r.latencyMicros().getValueAtPercentile(99) / 1000.0,
          r.users());
    }
    RecommendEvaluation.Result magpie = results.get(0);
    out.printf(
        Locale.ROOT,
        "magpie / item-knn HR@%d: %s; magpie / most-popular coverage: %s%n",
        k,
        ratio(magpie.hitRate(), results.get(1).hitRate()),
        ratio(magpie.coverage(), results.get(2).coverage()));
    out.flush();
    return 0;
  }

  /** a / b as "1.234 x", or "-" when b is 0 (no hit to compare with). */
  private static String ratio(double a, double b) {
    return b == 0 ? "- (baseline is 0)" : String.format(Locale.ROOT, "%.3f x", a / b);
  }
}
