package dev.magpie.learn.search;

import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.learn.RankingMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Runs systems over judged queries and measures, per system: nDCG@10 over the whole catalog
 * (unjudged items count as irrelevant, so it is a lower bound), nDCG@10 over each query's judged
 * pool (the judged items re-ranked by the system's scores, which has no such bias), Recall@100 and
 * MRR@10, and the latency of each search (after a warm-up pass over other queries) in an
 * HdrHistogram. Systems run one after the other, so they do not share caches mid-run.
 */
public final class SearchEvaluation {
  /** Depth of the ranking metrics. */
  public static final int NDCG_DEPTH = 10;

  /** Depth of retrieval, for recall. */
  public static final int RECALL_DEPTH = 100;

  private SearchEvaluation() {}

  /**
   * One system's results.
   *
   * @param name the system's row name
   * @param ndcg mean nDCG@10, full catalog
   * @param poolNdcg mean nDCG@10 over the judged pools
   * @param recall mean Recall@100 (queries with a relevant item)
   * @param mrr mean MRR@10 (queries with a relevant item)
   * @param ndcgQueries queries averaged for nDCG (those with a positive gain)
   * @param recallQueries queries averaged for recall and MRR
   * @param latencyMicros search latency
   */
  public record SystemResult(
      String name,
      double ndcg,
      double poolNdcg,
      double recall,
      double mrr,
      int ndcgQueries,
      int recallQueries,
      Histogram latencyMicros) {}

  /**
   * Evaluates each system over {@code queries}, each after a warm-up pass over {@code warmup}
   * (queries that are not timed: {@link WarmupQueries}).
   */
  public static List<SystemResult> run(
      ItemStore items, JudgedQueries queries, List<SearchSystem> systems, List<String> warmup)
      throws IOException {
    List<SystemResult> results = new ArrayList<>();
    for (SearchSystem system : systems) {
      for (String query : warmup) {
        system.search(query, RECALL_DEPTH);
      }
      results.add(evaluate(items, queries, system));
    }
    return results;
  }

  /**
   * Writes one row per system: nDCG@10 over the catalog and over the judged pools, Recall@100,
   * MRR@10, latency p50 / p90 / p99 and the queries averaged.
   */
  public static void printTable(PrintWriter out, List<SystemResult> results) {
    int width = 16;
    for (SystemResult r : results) {
      width = Math.max(width, r.name().length());
    }
    String name = "%-" + width + "s";
    out.printf(
        Locale.ROOT,
        name + " %8s %13s %11s %7s %8s %8s %8s %8s%n",
        "system",
        "nDCG@10",
        "nDCG@10-pool",
        "Recall@100",
        "MRR@10",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "queries");
    for (SystemResult r : results) {
      out.printf(
          Locale.ROOT,
          name + " %8.4f %13.4f %11.4f %7.4f %8.3f %8.3f %8.3f %8d%n",
          r.name(),
          r.ndcg(),
          r.poolNdcg(),
          r.recall(),
          r.mrr(),
          r.latencyMicros().getValueAtPercentile(50) / 1000.0,
          r.latencyMicros().getValueAtPercentile(90) / 1000.0,
          r.latencyMicros().getValueAtPercentile(99) / 1000.0,
          r.ndcgQueries());
    }
  }

  private static SystemResult evaluate(ItemStore items, JudgedQueries queries, SearchSystem system)
      throws IOException {
    Histogram latency = new Histogram(60_000_000L, 3);
    double ndcgSum = 0;
    double poolSum = 0;
    double recallSum = 0;
    double mrrSum = 0;
    int ndcgCount = 0;
    int recallCount = 0;
    for (JudgedQueries.JudgedQuery q : queries.queries()) {
      List<Integer> judgedOrdinals = new ArrayList<>();
      List<Double> judgedRatings = new ArrayList<>();
      q.judgements()
          .forEach(
              (id, rel) -> {
                int ordinal = items.ordinalOf(id);
                if (ordinal >= 0) {
                  judgedOrdinals.add(ordinal);
                  judgedRatings.add(rel);
                }
              });
      if (judgedOrdinals.isEmpty()) {
        continue;
      }
      long start = System.nanoTime();
      int[] top = system.search(q.text(), RECALL_DEPTH);
      latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));

      double[] allGains = new double[judgedOrdinals.size()];
      int relevantTotal = 0;
      for (int i = 0; i < allGains.length; i++) {
        allGains[i] = RankingMetrics.gain(judgedRatings.get(i));
        if (judgedRatings.get(i) >= RankingMetrics.RELEVANT) {
          relevantTotal++;
        }
      }
      double[] topGains = new double[top.length];
      boolean[] topRelevant = new boolean[top.length];
      for (int r = 0; r < top.length; r++) {
        int index = judgedOrdinals.indexOf(top[r]);
        if (index >= 0) {
          topGains[r] = allGains[index];
          topRelevant[r] = judgedRatings.get(index) >= RankingMetrics.RELEVANT;
        }
      }
      double ndcg = RankingMetrics.ndcg(topGains, allGains, NDCG_DEPTH);
      if (!Double.isNaN(ndcg)) {
        ndcgSum += ndcg;
        poolSum +=
            RankingMetrics.ndcg(
                poolGains(system, q.text(), judgedOrdinals, allGains), allGains, NDCG_DEPTH);
        ndcgCount++;
      }
      if (relevantTotal > 0) {
        recallSum += RankingMetrics.recall(topRelevant, relevantTotal, RECALL_DEPTH);
        mrrSum += RankingMetrics.reciprocalRank(topRelevant, NDCG_DEPTH);
        recallCount++;
      }
    }
    return new SystemResult(
        system.name(),
        ndcgSum / Math.max(1, ndcgCount),
        poolSum / Math.max(1, ndcgCount),
        recallSum / Math.max(1, recallCount),
        mrrSum / Math.max(1, recallCount),
        ndcgCount,
        recallCount,
        latency);
  }

  /**
   * The judged items' gains in the order the system's scores put them (ties: lower ordinal first).
   */
  private static double[] poolGains(
      SearchSystem system, String text, List<Integer> ordinals, double[] gains) throws IOException {
    int[] pool = ordinals.stream().mapToInt(Integer::intValue).toArray();
    float[] scores = system.score(text, pool);
    Integer[] order = new Integer[pool.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> pool[i]));
    double[] ranked = new double[pool.length];
    for (int r = 0; r < pool.length; r++) {
      ranked[r] = gains[order[r]];
    }
    return ranked;
  }
}
