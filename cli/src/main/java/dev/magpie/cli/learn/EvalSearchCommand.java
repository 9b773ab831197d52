package dev.magpie.cli.learn;

import dev.magpie.engine.embed.MiniLmEmbedder;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.route.ClusterDirectory;
import dev.magpie.engine.route.ShardedHybridSearch;
import dev.magpie.engine.route.ShardedTextSearch;
import dev.magpie.engine.search.FieldScoring;
import dev.magpie.engine.search.Fusion;
import dev.magpie.engine.search.HybridSearcher;
import dev.magpie.engine.search.SearchRequest;
import dev.magpie.engine.search.SearchReranker;
import dev.magpie.engine.search.TextSearcher;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.learn.search.JudgedQueries;
import dev.magpie.learn.search.LuceneBaselineSystem;
import dev.magpie.learn.search.MagpieBm25System;
import dev.magpie.learn.search.MagpieHybridSystem;
import dev.magpie.learn.search.MagpieRerankedSystem;
import dev.magpie.learn.search.MagpieVectorSystem;
import dev.magpie.learn.search.SearchEvaluation;
import dev.magpie.learn.search.SearchSystem;
import dev.magpie.learn.search.ShardedBm25System;
import dev.magpie.learn.search.ShardedHybridSystem;
import dev.magpie.learn.search.WarmupQueries;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code magpie eval search}: nDCG, recall, MRR and latency of Magpie search vs plain Lucene. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluates search on judged queries: nDCG@10 over the full catalog (unjudged = irrelevant, a lower",
      "bound), nDCG@10 over each query's judged pool, Recall@100 and MRR@10 (relevant: rating >= 2),",
      "and latency percentiles; a plain-Lucene baseline (StandardAnalyzer, BM25, title only) runs in the",
      "same process and is printed beside it."
    },
    footer = {
      "",
      "Example (Home Depot; load the catalog first):",
      "  magpie load --catalog ../shared/data/homedepot/products.tsv --columns id,title --out /tmp/hd",
      "  magpie eval search --snapshot /tmp/hd --queries ../shared/data/homedepot/dev_queries.tsv \\",
      "      --qrels ../shared/data/homedepot/dev_qrels.tsv"
    })
public final class EvalSearchCommand implements Callable<Integer> {
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
      description = "query_id<TAB>item_id<TAB>rating (1-3)")
  Path qrels;

  @Option(
      names = "--mode",
      defaultValue = "bm25",
      paramLabel = "bm25|vector|hybrid|all",
      description =
          "Which Magpie systems to evaluate: bm25, vector (the built-in embedder and the HNSW index), hybrid (both, fused), all (every one). Default: ${DEFAULT-VALUE}.")
  String mode;

  @Option(
      names = "--fusion",
      defaultValue = "linear",
      paramLabel = "linear|rrf",
      description = "How hybrid merges BM25 and vector hits (default: ${DEFAULT-VALUE}).")
  String fusion;

  @Option(
      names = "--text-weight",
      description = "Hybrid weight of BM25 (default: the engine's, Fusion.DEFAULT).")
  Float textWeight;

  @Option(
      names = "--vector-weight",
      description = "Hybrid weight of vectors (default: the engine's, Fusion.DEFAULT).")
  Float vectorWeight;

  @Option(
      names = "--candidates",
      description = "Hits each channel brings to fusion (default: the engine's, Fusion.DEFAULT).")
  Integer candidates;

  @Option(
      names = "--scoring",
      defaultValue = "combined",
      paramLabel = "boosted|combined|both",
      description = "BM25 field scoring to evaluate (default: ${DEFAULT-VALUE}).")
  String scoring;

  @Option(names = "--no-fuzzy", description = "Magpie without the typo fallback (ablation).")
  boolean noFuzzy;

  @Option(names = "--no-understand", description = "Magpie without query understanding (ablation).")
  boolean noUnderstand;

  @Option(
      names = "--limit",
      defaultValue = "0",
      paramLabel = "N",
      description = "Only the first N judged queries (0: all).")
  int limit;

  @Option(
      names = "--model",
      paramLabel = "FILE",
      description =
          "A reranking model from magpie train search: adds the system hybrid-reranked (needs hybrid).")
  Path model;

  @Option(
      names = "--rerank",
      defaultValue = "50",
      paramLabel = "N",
      description = "Fused hits the model reorders per query (default: ${DEFAULT-VALUE}).")
  int rerankDepth;

  @Option(
      names = "--held-out",
      paramLabel = "FRACTION",
      description =
          "Only the queries that magpie train search --held-out FRACTION kept out of training.")
  Double heldOut;

  @Option(
      names = "--shards",
      paramLabel = "DIR",
      description =
          "The same catalog loaded with --shards S into DIR: adds bm25-sharded and hybrid-sharded, the"
              + " search over the shards merged as the router merges.")
  Path shards;

  @Option(
      names = "--warmup",
      defaultValue = "500",
      paramLabel = "N",
      description =
          "Queries run once by each system before timing, none of them a timed query (default:"
              + " ${DEFAULT-VALUE}): from --warmup-queries, or the first words of titles spread over"
              + " the catalog.")
  int warmup;

  @Option(
      names = "--warmup-queries",
      paramLabel = "FILE",
      description =
          "Warm up on these queries (TSV: id, query; e.g. the training split's), leaving out any"
              + " evaluated query.")
  Path warmupQueries;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String m = mode.toLowerCase(Locale.ROOT);
    if (!List.of("bm25", "vector", "hybrid", "all").contains(m)) {
      err.println(
          "magpie eval search: --mode must be bm25, vector, hybrid or all, got '" + mode + "'");
      return 2;
    }
    boolean bm25 = m.equals("bm25") || m.equals("all");
    boolean vector = m.equals("vector") || m.equals("all");
    boolean hybrid = m.equals("hybrid") || m.equals("all");
    String s = scoring.toLowerCase(Locale.ROOT);
    if (bm25 && !List.of("boosted", "combined", "both").contains(s)) {
      err.println(
          "magpie eval search: --scoring must be boosted, combined or both, got '" + scoring + "'");
      return 2;
    }
    Fusion f = null;
    if (hybrid) {
      try {
        f =
            new Fusion(
                Fusion.Method.valueOf(fusion.toUpperCase(Locale.ROOT)),
                textWeight != null ? textWeight : Fusion.DEFAULT.textWeight(),
                vectorWeight != null ? vectorWeight : Fusion.DEFAULT.vectorWeight(),
                candidates != null ? candidates : Fusion.DEFAULT.candidates());
      } catch (IllegalArgumentException e) {
        err.println("magpie eval search: " + e.getMessage());
        return 2;
      }
    }
    if (model != null && !hybrid
        || rerankDepth < 1
        || rerankDepth > SearchRequest.MAX_K
        || heldOut != null && !(heldOut > 0 && heldOut < 1)) {
      err.println(
          "magpie eval search: --model needs --mode hybrid or all, --rerank must be 1 to "
              + SearchRequest.MAX_K
              + " and --held-out between 0 and 1");
      return 2;
    }
    RankingModel ranker = model == null ? null : RankingModel.read(model);
    JudgedQueries judged = JudgedQueries.read(queries, qrels);
    if (heldOut != null) {
      judged = judged.heldOut(heldOut);
    }
    if (limit > 0 && judged.queries().size() > limit) {
      judged = new JudgedQueries(judged.queries().subList(0, limit));
    }
    List<Snapshot> shardSnapshots = shards == null ? List.of() : ClusterDirectory.open(shards);
    try (Snapshot snap = Snapshot.open(SnapshotStore.resolveVersionDir(snapshot));
        LuceneBaselineSystem baseline = new LuceneBaselineSystem(snap.items());
        MiniLmEmbedder embedder = vector || hybrid ? new MiniLmEmbedder() : null) {
      if (embedder != null && snap.vectors() == null) {
        err.println(
            "magpie eval search: --mode "
                + mode
                + " needs a snapshot with vectors; "
                + snap.dir()
                + " has none (load it without --no-embed)");
        return 2;
      }
      List<SearchSystem> systems = new ArrayList<>();
      if (bm25) {
        TextSearcher searcher = new TextSearcher(snap);
        if (s.equals("boosted") || s.equals("both")) {
          systems.add(
              new MagpieBm25System(
                  s.equals("both") ? "bm25-boosted" : "bm25",
                  searcher,
                  FieldScoring.BOOSTED_FIELDS,
                  !noFuzzy,
                  !noUnderstand));
        }
        if (s.equals("combined") || s.equals("both")) {
          systems.add(
              new MagpieBm25System(
                  s.equals("both") ? "bm25-combined" : "bm25",
                  searcher,
                  FieldScoring.COMBINED_FIELDS,
                  !noFuzzy,
                  !noUnderstand));
        }
      }
      if (bm25 && !shardSnapshots.isEmpty()) {
        systems.add(
            new ShardedBm25System(
                "bm25-sharded", new ShardedTextSearch(shardSnapshots), snap.items()));
      }
      if (vector) {
        systems.add(new MagpieVectorSystem("vector", snap, embedder));
      }
      if (hybrid) {
        HybridSearcher searcher = new HybridSearcher(snap, embedder);
        if (ranker != null) {
          systems.add(
              new MagpieRerankedSystem(
                  "hybrid-reranked", searcher, f, new SearchReranker(snap, ranker), rerankDepth));
        }
        systems.add(
            new MagpieHybridSystem("hybrid-" + fusion.toLowerCase(Locale.ROOT), searcher, f));
        if (!shardSnapshots.isEmpty()) {
          systems.add(
              new ShardedHybridSystem(
                  "hybrid-sharded",
                  new ShardedHybridSearch(shardSnapshots, embedder),
                  snap.items(),
                  f));
        }
      }
      systems.add(baseline);
      out.printf(
          Locale.ROOT,
          "%,d judged queries over %,d items (%s)%n",
          judged.queries().size(),
          snap.items().size(),
          snap.dir());
      Set<String> timed = new HashSet<>();
      judged.queries().forEach(q -> timed.add(q.text()));
      List<String> warm =
          warmupQueries != null
              ? WarmupQueries.fromFile(warmupQueries, warmup, timed)
              : WarmupQueries.fromCatalog(snap.items(), warmup, timed);
      out.printf(
          Locale.ROOT,
          "warm-up: %,d queries not timed (%s)%n",
          warm.size(),
          warmupQueries != null ? warmupQueries : "from the catalog's titles");
      List<SearchEvaluation.SystemResult> results =
          SearchEvaluation.run(snap.items(), judged, systems, warm);
      print(out, results);
    } finally {
      for (Snapshot shard : shardSnapshots) {
        shard.close();
      }
    }
    out.flush();
    return 0;
  }

  static void print(PrintWriter out, List<SearchEvaluation.SystemResult> results) {
    SearchEvaluation.printTable(out, results);
    SearchEvaluation.SystemResult base = results.getLast();
    for (SearchEvaluation.SystemResult r : results.subList(0, results.size() - 1)) {
      out.printf(
          Locale.ROOT, "%s / %s nDCG@10: %.3f x%n", r.name(), base.name(), r.ndcg() / base.ndcg());
    }
  }
}
