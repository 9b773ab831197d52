package dev.magpie.cli.learn;

import dev.magpie.engine.embed.MiniLmEmbedder;
import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.search.Fusion;
import dev.magpie.engine.search.HybridHit;
import dev.magpie.engine.search.HybridResult;
import dev.magpie.engine.search.HybridSearcher;
import dev.magpie.engine.search.SearchRequest;
import dev.magpie.engine.search.SearchReranker;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.learn.HeldOut;
import dev.magpie.learn.RankingMetrics;
import dev.magpie.learn.search.JudgedQueries;
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
 * {@code magpie train search}: fits the search reranker to judged queries. The queries are split by
 * a hash of their id into a training part and a held-out part; the hybrid searcher's top N hits of
 * each become its candidates; coordinate ascent fits the weights on the training part; the table
 * compares hybrid order and reranked order on both parts (the held-out row is the honest one).
 */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Fits the search reranker's weights to judged queries (coordinate ascent on nDCG@10 over the hybrid",
      "searcher's top candidates), reports hybrid vs reranked nDCG@10 on the training and the held-out",
      "queries, and writes the model file."
    },
    footer = {
      "",
      "Example (Home Depot dev, half the queries held out):",
      "  magpie train search --snapshot /tmp/hd-vec --queries ../shared/data/homedepot/dev_queries.tsv \\",
      "      --qrels ../shared/data/homedepot/dev_qrels.tsv --out search-ranker.bin"
    })
public final class TrainSearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--snapshot",
      required = true,
      paramLabel = "DIR",
      description = "Snapshot store or version.")
  Path snapshot;

  @Option(
      names = "--queries",
      required = true,
      paramLabel = "FILE",
      description = "query_id<TAB>text")
  Path queries;

  @Option(
      names = "--qrels",
      required = true,
      paramLabel = "FILE",
      description = "query_id<TAB>item_id<TAB>rating")
  Path qrels;

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
          "Share of the queries kept out of training, chosen by a hash of the query id (default: ${DEFAULT-VALUE}).")
  double heldOut;

  @Option(
      names = "--candidates",
      defaultValue = "50",
      paramLabel = "N",
      description = "Hybrid hits reranked per query (default: ${DEFAULT-VALUE}).")
  int candidates;

  @Option(
      names = "--rounds",
      defaultValue = "5",
      paramLabel = "N",
      description = "Coordinate ascent rounds at most.")
  int rounds;

  @Mixin BoostingOptions boosting;

  private static final List<Feature> SEARCH_FEATURES =
      List.of(
          Feature.RELEVANCE,
          Feature.TEXT,
          Feature.VECTOR,
          Feature.TEXT_RANK,
          Feature.VECTOR_RANK,
          Feature.TITLE_COVERAGE,
          Feature.TITLE_RARE_WORDS,
          Feature.TITLE_IN_ORDER,
          Feature.QUERY_HEAD,
          Feature.PRODUCT_TYPE,
          Feature.TITLE_NUMBERS,
          Feature.TITLE_EXTRA_WORDS,
          Feature.TITLE_TRIGRAMS,
          Feature.RATING,
          Feature.CONVERSION,
          Feature.FRESHNESS);

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    LambdaMart.Settings settings;
    try {
      settings = boosting.settings(1000, 10);
      if (!(heldOut > 0 && heldOut < 1) || candidates < 10 || candidates > SearchRequest.MAX_K) {
        throw new IllegalArgumentException(
            "--held-out must be between 0 and 1 and --candidates from 10 to "
                + SearchRequest.MAX_K);
      }
    } catch (IllegalArgumentException e) {
      stderr.println("magpie train search: " + e.getMessage());
      return 2;
    }
    JudgedQueries judged = JudgedQueries.read(queries, qrels);
    List<RankingExample> train = new ArrayList<>();
    List<RankingExample> validation = new ArrayList<>();
    List<RankingExample> test = new ArrayList<>();
    try (Snapshot snap = Snapshot.open(SnapshotStore.resolveVersionDir(snapshot));
        MiniLmEmbedder embedder = new MiniLmEmbedder()) {
      HybridSearcher hybrid = new HybridSearcher(snap, embedder);
      SearchReranker features = new SearchReranker(snap, RankingModel.SEARCH_DEFAULT);
      for (JudgedQueries.JudgedQuery q : judged.queries()) {
        double[] ideal =
            q.judgements().values().stream().mapToDouble(RankingMetrics::gain).toArray();
        if (RankingMetrics.idealDcg(ideal, 10) == 0) {
          continue;
        }
        HybridResult result;
        try {
          result =
              hybrid.search(
                  SearchRequest.of(q.text(), candidates).withExplanations(false), Fusion.DEFAULT);
        } catch (IllegalArgumentException nothingToSearch) {
          result = null;
        }
        float[][] f = result == null ? new float[0][] : features.features(result);
        double[] gains = new double[f.length];
        for (int i = 0; i < f.length; i++) {
          HybridHit hit = result.hits().get(i);
          Double rel = q.judgements().get(hit.externalId());
          gains[i] = rel == null ? 0 : RankingMetrics.gain(rel);
        }
        RankingExample example = RankingExample.of(f, gains, ideal, 10);
        (HeldOut.heldOut(q.id(), heldOut) ? test : HeldOut.validates(q.id()) ? validation : train)
            .add(example);
      }
    }
    String provenance =
        "search trained on " + train.size() + " queries of " + queries.getFileName();
    RankingModel linear =
        new CoordinateAscent(train, 10)
            .fit(RankingModel.SEARCH_DEFAULT, SEARCH_FEATURES, rounds, provenance);
    RankingModel model = linear;
    if (settings != null) {
      LambdaMart.Fit fit =
          new LambdaMart(SEARCH_FEATURES, settings)
              .fit(
                  linear, train, validation, provenance + ", " + validation.size() + " validating");
      model = fit.model();
      stdout.printf(
          Locale.ROOT,
          "trees: %d kept (validation nDCG@10 %.4f)%n",
          fit.rounds(),
          fit.validationNdcg());
    }
    stdout.printf(
        Locale.ROOT,
        "%-10s %8s %10s %10s %10s %8s %10s%n",
        "queries",
        "count",
        "hybrid",
        "linear",
        "model",
        "ratio",
        "ceiling");
    row(stdout, "train", train, linear, model);
    row(stdout, "validation", validation, linear, model);
    row(stdout, "held-out", test, linear, model);
    stdout.println("model: " + model);
    model.write(out);
    stdout.println("written to " + out);
    stdout.flush();
    return 0;
  }

  private static void row(
      PrintWriter out,
      String name,
      List<RankingExample> examples,
      RankingModel linear,
      RankingModel model) {
    double hybrid = RankingExample.meanNdcg(examples, RankingModel.SEARCH_DEFAULT, 10);
    double reranked = RankingExample.meanNdcg(examples, model, 10);
    double ceiling = 0;
    for (RankingExample e : examples) {
      ceiling += e.ndcg(e.gains(), 0, 10);
    }
    out.printf(
        Locale.ROOT,
        "%-10s %8d %10.4f %10.4f %10.4f %7.3fx %10.4f%n",
        name,
        examples.size(),
        hybrid,
        RankingExample.meanNdcg(examples, linear, 10),
        reranked,
        reranked / hybrid,
        examples.isEmpty() ? 0 : ceiling / examples.size());
  }
}
