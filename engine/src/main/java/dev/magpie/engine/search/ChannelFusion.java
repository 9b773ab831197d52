package dev.magpie.engine.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The arithmetic that merges the text and vector channels' candidates into one ranking, shared by a
 * single node ({@link HybridSearcher}) and a router over shards, so that both compute the same
 * numbers from the same evidence: reciprocal rank fusion, or each channel's scores min-max
 * normalised over the union of candidates and weighted; ties broken by the candidates' order keys
 * (an ordinal on one node, a catalog position across shards).
 */
public final class ChannelFusion {
  private ChannelFusion() {}

  /**
   * One candidate's evidence from both channels.
   *
   * @param order the tie-breaking key: lower first
   * @param textRank its rank among the text channel's candidates, from 1; 0 when not among them
   * @param textScore its BM25 score (scored for it when only the vector channel found it)
   * @param vectorRank its rank among the vector channel's candidates, from 1; 0 when not among them
   * @param vectorScore its similarity (scored for it when only the text channel found it)
   */
  public record Evidence(
      long order, int textRank, float textScore, int vectorRank, float vectorScore) {}

  /**
   * A candidate with its fused score.
   *
   * @param evidence what the channels said
   * @param fused the fused score
   * @param textPart the text channel's share of it (the vector channel's is the rest): what
   *     explanations split the fused score by
   */
  public record Fused(Evidence evidence, double fused, double textPart) {}

  /**
   * The best {@code k} of {@code union} by fused score, then order key.
   *
   * @param textRan whether the text channel ran (its scores count under linear fusion)
   * @param vectorRan whether the vector channel ran
   */
  public static List<Fused> fuse(
      List<Evidence> union, Fusion fusion, boolean textRan, boolean vectorRan, int k) {
    List<Fused> all = new ArrayList<>(union.size());
    if (fusion.method() == Fusion.Method.RRF) {
      for (Evidence e : union) {
        double text =
            e.textRank() == 0 ? 0 : fusion.textWeight() / (double) (Fusion.RRF_K + e.textRank());
        double vector =
            e.vectorRank() == 0
                ? 0
                : fusion.vectorWeight() / (double) (Fusion.RRF_K + e.vectorRank());
        all.add(new Fused(e, text + vector, text));
      }
    } else {
      double[] text =
          LinearFusion.normalised(union.stream().mapToDouble(Evidence::textScore).toArray());
      double[] vector =
          LinearFusion.normalised(union.stream().mapToDouble(Evidence::vectorScore).toArray());
      for (int i = 0; i < union.size(); i++) {
        double textPart = textRan ? fusion.textWeight() * text[i] : 0;
        double vectorPart = vectorRan ? fusion.vectorWeight() * vector[i] : 0;
        all.add(new Fused(union.get(i), textPart + vectorPart, textPart));
      }
    }
    all.sort(
        Comparator.<Fused>comparingDouble(f -> -f.fused())
            .thenComparingLong(f -> f.evidence().order()));
    return all.subList(0, Math.min(k, all.size()));
  }
}
