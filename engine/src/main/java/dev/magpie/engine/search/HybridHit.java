package dev.magpie.engine.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One result of a hybrid search, with what each channel said of it.
 *
 * @param ordinal the item's ordinal in the snapshot
 * @param externalId the item's catalog id
 * @param score the fused score
 * @param textPart the text channel's share of the fused score (the vector channel's is the rest)
 * @param textRank its rank in the text channel's candidates, from 1; 0 when that channel did not
 *     return it
 * @param textScore its BM25 score (computed for the item when the text channel did not return it,
 *     under linear fusion; 0 when it matches no query word)
 * @param vectorRank its rank in the vector channel's candidates, from 1; 0 when not returned
 * @param vectorScore its cosine similarity with the query (computed when not returned, under linear
 *     fusion)
 * @param matches the text fields and terms behind the BM25 score, when explanations were asked for
 */
public record HybridHit(
    int ordinal,
    String externalId,
    float score,
    float textPart,
    int textRank,
    float textScore,
    int vectorRank,
    float vectorScore,
    List<TermMatch> matches) {
  /** Copies the list. */
  public HybridHit {
    matches = List.copyOf(matches);
  }

  /**
   * This hit with the text matches behind its BM25 score from {@code explainer}: as it is when it
   * has them or scored nothing by text.
   */
  public HybridHit explainedBy(HybridResult.TextExplainer explainer) throws IOException {
    return explainedBy(List.of(this), explainer).getFirst();
  }

  /**
   * Each of {@code hits} as {@link #explainedBy(HybridResult.TextExplainer)} makes it, the ones
   * needing matches explained together in one call.
   */
  public static List<HybridHit> explainedBy(
      List<HybridHit> hits, HybridResult.TextExplainer explainer) throws IOException {
    List<Integer> needing = new ArrayList<>();
    for (int i = 0; i < hits.size(); i++) {
      HybridHit h = hits.get(i);
      if (h.matches.isEmpty() && h.textScore > 0) {
        needing.add(i);
      }
    }
    if (needing.isEmpty()) {
      return hits;
    }
    int[] ordinals = new int[needing.size()];
    for (int j = 0; j < ordinals.length; j++) {
      ordinals[j] = hits.get(needing.get(j)).ordinal;
    }
    List<List<TermMatch>> found = explainer.matches(ordinals);
    List<HybridHit> out = new ArrayList<>(hits);
    for (int j = 0; j < ordinals.length; j++) {
      HybridHit h = hits.get(needing.get(j));
      out.set(
          needing.get(j),
          new HybridHit(
              h.ordinal,
              h.externalId,
              h.score,
              h.textPart,
              h.textRank,
              h.textScore,
              h.vectorRank,
              h.vectorScore,
              found.get(j)));
    }
    return out;
  }

  /** The explanation in one line: "bm25 #2 7.21, vector #1 0.832; title:running 2.31, ...". */
  public String explanation() {
    String channels = channelExplanation(textRank, textScore, vectorRank, vectorScore);
    String terms = new SearchHit(ordinal, externalId, textScore, matches).explanation();
    return terms.isEmpty() ? channels : channels + "; " + terms;
  }

  /** What each channel said of a hit: "bm25 #2 7.21, vector #1 0.832" ("-" for no rank). */
  public static String channelExplanation(
      int textRank, float textScore, int vectorRank, float vectorScore) {
    return String.format(
        Locale.ROOT,
        "bm25 %s %.2f, vector %s %.3f",
        textRank == 0 ? "-" : "#" + textRank,
        textScore,
        vectorRank == 0 ? "-" : "#" + vectorRank,
        vectorScore);
  }
}
