package dev.magpie.cli.learn;

import dev.magpie.engine.behaviour.BehaviourParameters;
import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.recommend.Diversity;
import dev.magpie.engine.recommend.RecommendRequest;
import dev.magpie.engine.recommend.Recommender;
import dev.magpie.engine.search.SearchFilters;
import dev.magpie.ingest.events.EventFormat;
import dev.magpie.learn.HeldOut;
import dev.magpie.learn.recommend.EventLog;
import dev.magpie.learn.recommend.MagpieRecommenderSystem;
import dev.magpie.learn.train.CoordinateAscent;
import dev.magpie.learn.train.LambdaMart;
import dev.magpie.learn.train.RankingExample;
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
 * {@code magpie train recommend}: fits the recommendation model to held-out interactions. Each
 * user's latest event is hidden (leave-last-out, as eval recommend does); the engine's channels
 * find candidates from the rest; the hidden item is the one relevant candidate. Users are split by
 * a hash of their id into a training part and a held-out part; coordinate ascent fits the weights
 * from the built-in model on the training part (and LambdaMART trees on top, with --trees). The
 * table compares the built-in and the fitted model on both parts, ranking each user's candidates
 * without diversity.
 */
@Command(
    name = "recommend",
    mixinStandardHelpOptions = true,
    description = {
      "Fits the recommendation model's weights to held-out interactions (each user's latest event hidden,",
      "coordinate ascent on NDCG@10 over the engine's candidates), reports built-in vs fitted HR@10 and",
      "NDCG@10 on the training and the held-out users, and writes the model file."
    },
    footer = {
      "",
      "Example (MovieLens), then the fitted model in the full evaluation on the held-out users:",
      "  magpie train recommend --events ../shared/data/movielens/ratings.csv --format movielens \\",
      "      --items ../shared/data/movielens/movies.csv --out recommend-ranker.bin",
      "  magpie eval recommend --events ../shared/data/movielens/ratings.csv --format movielens \\",
      "      --items ../shared/data/movielens/movies.csv --model recommend-ranker.bin --held-out 0.5"
    })
public final class TrainRecommendCommand implements Callable<Integer> {
  /** The features the recommendation model may weigh (search-only ones are 0 here). */
  static final List<Feature> RECOMMEND_FEATURES =
      List.of(
          Feature.TOGETHER,
          Feature.COMPLEMENT,
          Feature.VECTOR,
          Feature.KNOWLEDGE,
          Feature.CATEGORY_AFFINITY,
          Feature.BRAND_AFFINITY,
          Feature.POPULARITY,
          Feature.CONVERSION,
          Feature.RATING,
          Feature.PRICE_FIT,
          Feature.FRESHNESS);

  private static final int K = 10;

  @Spec CommandSpec spec;

  @Mixin EventLogOptions log;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the model.")
  Path out;

  @Option(
      names = "--held-out",
      defaultValue = "0.5",
      paramLabel = "FRACTION",
      description =
          "Share of the users kept out of training, chosen by a hash of the user id (default: ${DEFAULT-VALUE}).")
  double heldOut;

  @Option(
      names = "--rounds",
      defaultValue = "5",
      paramLabel = "N",
      description = "Coordinate ascent rounds at most.")
  int rounds;

  @Mixin BoostingOptions boosting;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    EventFormat f;
    LambdaMart.Settings settings;
    try {
      f = log.format();
      settings = boosting.settings(0, K);
      if (!(heldOut > 0 && heldOut < 1)) {
        throw new IllegalArgumentException("--held-out must be between 0 and 1, got " + heldOut);
      }
    } catch (IllegalArgumentException e) {
      stderr.println("magpie train recommend: " + e.getMessage());
      return 2;
    }
    EventLog events = log.read(f, stderr);
    Interactions.Split split = events.interactions().leaveLastOut(log.minEvents);
    List<RankingExample> train = new ArrayList<>();
    List<RankingExample> validation = new ArrayList<>();
    List<RankingExample> test = new ArrayList<>();
    try (MagpieRecommenderSystem magpie =
        new MagpieRecommenderSystem(
            BehaviourParameters.DEFAULTS,
            events,
            RankingModel.RECOMMEND_DEFAULT,
            Diversity.NONE,
            0f)) {
      magpie.train(split.train());
      Recommender recommender = magpie.recommender();
      for (Interactions.Held held : split.held()) {
        Recommender.CandidateFeatures c =
            recommender.candidates(
                new RecommendRequest(
                    held.user(), List.of(), null, K, SearchFilters.NONE, Diversity.NONE, 0f));
        double[] gains = new double[c.ordinals().length];
        for (int i = 0; i < gains.length; i++) {
          gains[i] = c.ordinals()[i] == held.item() ? 1 : 0;
        }
        RankingExample example = RankingExample.of(c.features(), gains, new double[] {1}, K);
        String user = held.user();
        (HeldOut.heldOut(user, heldOut)
                ? test
                : settings != null && HeldOut.validates(user) ? validation : train)
            .add(example);
      }
    }
    String provenance =
        "recommend trained on " + train.size() + " users of " + log.events.getFileName();
    RankingModel model =
        new CoordinateAscent(train, K)
            .fit(RankingModel.RECOMMEND_DEFAULT, RECOMMEND_FEATURES, rounds, provenance);
    if (settings != null) {
      LambdaMart.Fit fit =
          new LambdaMart(RECOMMEND_FEATURES, settings).fit(model, train, validation, provenance);
      model = fit.model();
      stdout.printf(
          Locale.ROOT,
          "trees: %d kept (validation NDCG@10 %.4f)%n",
          fit.rounds(),
          fit.validationNdcg());
    }
    stdout.printf(
        Locale.ROOT,
        "%-10s %7s %11s %11s %13s %13s %10s%n",
        "users",
        "count",
        "HR@10 built",
        "HR@10 fit",
        "NDCG@10 built",
        "NDCG@10 fit",
        "ceiling");
    row(stdout, "train", train, model);
    if (!validation.isEmpty()) {
      row(stdout, "validation", validation, model);
    }
    row(stdout, "held-out", test, model);
    stdout.println("model: " + model);
    model.write(out);
    stdout.println("written to " + out);
    stdout.flush();
    return 0;
  }

  private static void row(
      PrintWriter out, String name, List<RankingExample> examples, RankingModel model) {
    int found = 0;
    for (RankingExample e : examples) {
      for (double g : e.gains()) {
        found += g > 0 ? 1 : 0;
      }
    }
    out.printf(
        Locale.ROOT,
        "%-10s %7d %11.4f %11.4f %13.4f %13.4f %10.4f%n",
        name,
        examples.size(),
        hitRate(examples, RankingModel.RECOMMEND_DEFAULT),
        hitRate(examples, model),
        RankingExample.meanNdcg(examples, RankingModel.RECOMMEND_DEFAULT, K),
        RankingExample.meanNdcg(examples, model, K),
        examples.isEmpty() ? 0 : (double) found / examples.size());
  }

  /** Share of users whose hidden item is in the model's top 10 of their candidates. */
  private static double hitRate(List<RankingExample> examples, RankingModel model) {
    int hits = 0;
    for (RankingExample e : examples) {
      hits += RankingExample.meanNdcg(List.of(e), model, K) > 0 ? 1 : 0;
    }
    return examples.isEmpty() ? 0 : (double) hits / examples.size();
  }
}
