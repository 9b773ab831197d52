package dev.magpie.engine.search;

import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.View;
import dev.magpie.engine.text.TextFields;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;

/**
 * Reorders hybrid hits with a {@link RankingModel}: each hit gets the shared {@link Feature} vector
 * (fused relevance, BM25 score over the result's best, cosine, reciprocal channel ranks, query
 * words in the title, and the item's behaviour statistics and rating), the model scores it, and the
 * hits are sorted by that score. Each hit keeps its score parts. No sponsored or paid input is
 * read. Thread-safe.
 */
public final class SearchReranker {
  private final Snapshot snapshot;
  private final BehaviourModel behaviour;
  private final RankingModel model;

  /** A reranker over {@code snapshot} with {@code model}. */
  public SearchReranker(Snapshot snapshot, RankingModel model) {
    this.snapshot = snapshot;
    this.behaviour = snapshot.behaviour();
    this.model = model;
  }

  /**
   * A reranked hit.
   *
   * @param hit the hybrid hit
   * @param score the model's score
   * @param parts each feature's part of the score ({@link RankingModel#parts}), non-zero ones only
   */
  public record RankedHit(HybridHit hit, float score, Map<Feature, Float> parts) {}

  /**
   * The feature vectors of {@code result}'s hits, in hit order (for training and for {@link
   * #rerank}).
   */
  public float[][] features(HybridResult result) {
    try (View view = snapshot.views().acquire()) {
      return features(view, result);
    }
  }

  /**
   * As {@link #features(HybridResult)}, reading the view the result was found in: its items, and
   * its text reading for the title words' rarity.
   */
  public float[][] features(View view, HybridResult result) {
    ItemStore items = view.items();
    IndexReader reader = view.textSearcher().getIndexReader();
    List<HybridHit> hits = result.hits();
    float[][] out = new float[hits.size()][];
    float maxText = 0;
    for (HybridHit h : hits) {
      maxText = Math.max(maxText, h.textScore());
    }
    TitleMatch match = new TitleMatch(corrected(result), term -> idf(reader, term));
    for (int i = 0; i < out.length; i++) {
      HybridHit h = hits.get(i);
      float[] f = new float[Feature.values().length];
      f[Feature.RELEVANCE.ordinal()] = h.score();
      f[Feature.TEXT.ordinal()] = maxText > 0 ? h.textScore() / maxText : 0f;
      f[Feature.VECTOR.ordinal()] = Math.max(0f, h.vectorScore());
      f[Feature.TEXT_RANK.ordinal()] = h.textRank() > 0 ? 1f / h.textRank() : 0f;
      f[Feature.VECTOR_RANK.ordinal()] = h.vectorRank() > 0 ? 1f / h.vectorRank() : 0f;
      TitleMatch.Scores m = match.score(items.title(h.ordinal()));
      f[Feature.TITLE_COVERAGE.ordinal()] = m.coverage();
      f[Feature.TITLE_RARE_WORDS.ordinal()] = m.rareCoverage();
      f[Feature.TITLE_IN_ORDER.ordinal()] = m.inOrder();
      f[Feature.QUERY_HEAD.ordinal()] = m.queryHead();
      f[Feature.PRODUCT_TYPE.ordinal()] = m.productType();
      f[Feature.TITLE_NUMBERS.ordinal()] = m.numbers();
      f[Feature.TITLE_EXTRA_WORDS.ordinal()] = m.extraWords();
      f[Feature.TITLE_TRIGRAMS.ordinal()] = m.trigrams();
      float rating = items.rating(h.ordinal());
      f[Feature.RATING.ordinal()] = rating > 0 ? rating / 5f : 0f;
      if (behaviour != null) {
        f[Feature.CONVERSION.ordinal()] = behaviour.stats().conversion(h.ordinal());
        f[Feature.FRESHNESS.ordinal()] =
            behaviour.stats().freshness(h.ordinal(), Feature.FRESHNESS_HALF_LIFE_DAYS);
      }
      out[i] = f;
    }
    return out;
  }

  /**
   * The searched text with the spelling corrections understanding made ("toliet seat" to "toilet
   * seat").
   */
  static String corrected(HybridResult result) {
    Map<String, String> corrections = new HashMap<>();
    for (Constraint c : result.understood()) {
      if (c.kind().equals("spelling")) {
        corrections.put(c.text().toLowerCase(Locale.ROOT), c.value());
      }
    }
    if (corrections.isEmpty()) {
      return result.searchedText();
    }
    StringBuilder out = new StringBuilder();
    for (String word : result.searchedText().split("\\s+")) {
      out.append(out.isEmpty() ? "" : " ")
          .append(corrections.getOrDefault(word.toLowerCase(Locale.ROOT), word));
    }
    return out.toString();
  }

  /** BM25's inverse document frequency of {@code term} in titles. */
  private static double idf(IndexReader reader, String term) {
    try {
      int df = reader.docFreq(new Term(TextFields.TITLE, term));
      int n = reader.numDocs();
      return Math.log(1 + (n - df + 0.5) / (df + 0.5));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code result}'s hits ordered by the model, best first (ties keep the hybrid order). */
  public List<RankedHit> rerank(HybridResult result) {
    return rerank(result, result.hits().size());
  }

  /**
   * The best {@code k} of {@code result}'s hits by the model, best first (ties keep the hybrid
   * order); only those are explained, so a deep rerank pays for the parts of what it returns.
   */
  public List<RankedHit> rerank(HybridResult result, int k) {
    try (View view = snapshot.views().acquire()) {
      return rerank(view, result, k);
    }
  }

  /** As {@link #rerank(HybridResult, int)}, reading the view the result was found in. */
  public List<RankedHit> rerank(View view, HybridResult result, int k) {
    float[][] features = features(view, result);
    float[] scores = new float[features.length];
    Integer[] order = new Integer[features.length];
    for (int i = 0; i < features.length; i++) {
      scores[i] = model.score(features[i]);
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) ->
            scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : Integer.compare(a, b));
    List<RankedHit> out = new ArrayList<>(Math.min(k, order.length));
    for (int r = 0; r < Math.min(k, order.length); r++) {
      int i = order[r];
      out.add(new RankedHit(result.hits().get(i), scores[i], model.parts(features[i])));
    }
    return out;
  }
}
