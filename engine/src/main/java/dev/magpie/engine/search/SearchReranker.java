package dev.magpie.engine.search;

import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.View;
import dev.magpie.engine.text.CatalogSearcher;
import dev.magpie.engine.text.TextFields;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;

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

  /**
   * Whether the model reads any feature of how the title matches the query: if not, reranking skips
   * the title matching (the costliest features), whose values the score would multiply by 0.
   */
  private final boolean readsTitleMatch;

  /** The features that come from matching the query against an item's title. */
  private static final Set<Feature> TITLE_MATCH_FEATURES =
      EnumSet.of(
          Feature.TITLE_COVERAGE,
          Feature.TITLE_RARE_WORDS,
          Feature.TITLE_IN_ORDER,
          Feature.QUERY_HEAD,
          Feature.PRODUCT_TYPE,
          Feature.TITLE_NUMBERS,
          Feature.TITLE_EXTRA_WORDS,
          Feature.TITLE_TRIGRAMS);

  /** A reranker over {@code snapshot} with {@code model}. */
  public SearchReranker(Snapshot snapshot, RankingModel model) {
    this.snapshot = snapshot;
    this.behaviour = snapshot.behaviour();
    this.model = model;
    this.readsTitleMatch = TITLE_MATCH_FEATURES.stream().anyMatch(model::uses);
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
    return features(view, result, true);
  }

  /**
   * As {@link #features(View, HybridResult)}, the title-match features left 0 unless {@code
   * withTitleMatch}.
   */
  private float[][] features(View view, HybridResult result, boolean withTitleMatch) {
    List<HybridHit> hits = result.hits();
    float[][] out = new float[hits.size()][];
    float maxText = 0;
    for (HybridHit h : hits) {
      maxText = Math.max(maxText, h.textScore());
    }
    TitleMatch match = withTitleMatch ? titleMatch(view, corrected(result)) : null;
    for (int i = 0; i < out.length; i++) {
      HybridHit h = hits.get(i);
      float[] f = itemFeatures(view, behaviour, match, h.ordinal());
      channelFeatures(
          f, h.score(), h.textScore(), maxText, h.vectorScore(), h.textRank(), h.vectorRank());
      out[i] = f;
    }
    return out;
  }

  /**
   * What tells how well a title matches {@code correctedText} (the searched text, spelling
   * corrected), with the title words' rarity read from {@code view}'s text reading: the catalog's,
   * on a shard too.
   */
  public static TitleMatch titleMatch(View view, String correctedText) {
    IndexSearcher searcher = view.textSearcher();
    return new TitleMatch(correctedText, term -> idf(searcher, term));
  }

  /**
   * The features of item {@code ordinal} that need no other candidate (how its title matches, its
   * rating, its behaviour statistics), the rest 0: what a shard computes for its candidates and a
   * router completes with {@link #channelFeatures}.
   *
   * @param behaviour the behaviour model, or null
   * @param match the query's title match, or null to leave the title features 0
   */
  public static float[] itemFeatures(
      View view, BehaviourModel behaviour, TitleMatch match, int ordinal) {
    ItemStore items = view.items();
    float[] f = new float[Feature.values().length];
    if (match != null) {
      TitleMatch.Scores m = match.score(items.title(ordinal));
      f[Feature.TITLE_COVERAGE.ordinal()] = m.coverage();
      f[Feature.TITLE_RARE_WORDS.ordinal()] = m.rareCoverage();
      f[Feature.TITLE_IN_ORDER.ordinal()] = m.inOrder();
      f[Feature.QUERY_HEAD.ordinal()] = m.queryHead();
      f[Feature.PRODUCT_TYPE.ordinal()] = m.productType();
      f[Feature.TITLE_NUMBERS.ordinal()] = m.numbers();
      f[Feature.TITLE_EXTRA_WORDS.ordinal()] = m.extraWords();
      f[Feature.TITLE_TRIGRAMS.ordinal()] = m.trigrams();
    }
    float rating = items.rating(ordinal);
    f[Feature.RATING.ordinal()] = rating > 0 ? rating / 5f : 0f;
    if (behaviour != null) {
      f[Feature.CONVERSION.ordinal()] = behaviour.stats().conversion(ordinal);
      f[Feature.FRESHNESS.ordinal()] =
          behaviour.stats().freshness(ordinal, Feature.FRESHNESS_HALF_LIFE_DAYS);
    }
    return f;
  }

  /**
   * Sets the features that depend on the other candidates: the fused score, the BM25 score over the
   * best of the hits ({@code maxText}), the similarity and the reciprocal channel ranks.
   */
  public static void channelFeatures(
      float[] f,
      float fused,
      float textScore,
      float maxText,
      float vectorScore,
      int textRank,
      int vectorRank) {
    f[Feature.RELEVANCE.ordinal()] = fused;
    f[Feature.TEXT.ordinal()] = maxText > 0 ? textScore / maxText : 0f;
    f[Feature.VECTOR.ordinal()] = Math.max(0f, vectorScore);
    f[Feature.TEXT_RANK.ordinal()] = textRank > 0 ? 1f / textRank : 0f;
    f[Feature.VECTOR_RANK.ordinal()] = vectorRank > 0 ? 1f / vectorRank : 0f;
  }

  /**
   * The searched text with the spelling corrections understanding made ("toliet seat" to "toilet
   * seat").
   */
  public static String corrected(HybridResult result) {
    return corrected(result.searchedText(), result.understood());
  }

  /** {@code searchedText} with the spelling corrections among {@code understood} made. */
  public static String corrected(String searchedText, List<Constraint> understood) {
    Map<String, String> corrections = new HashMap<>();
    for (Constraint c : understood) {
      if (c.kind().equals("spelling")) {
        corrections.put(c.text().toLowerCase(Locale.ROOT), c.value());
      }
    }
    if (corrections.isEmpty()) {
      return searchedText;
    }
    StringBuilder out = new StringBuilder();
    for (String word : searchedText.split("\\s+")) {
      out.append(out.isEmpty() ? "" : " ")
          .append(corrections.getOrDefault(word.toLowerCase(Locale.ROOT), word));
    }
    return out.toString();
  }

  /** BM25's inverse document frequency of {@code term} in titles. */
  private static double idf(IndexSearcher searcher, String term) {
    try {
      int df = CatalogSearcher.docFreq(searcher.getIndexReader(), new Term(TextFields.TITLE, term));
      long n = CatalogSearcher.catalogDocs(searcher);
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
    float[][] features = features(view, result, readsTitleMatch);
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
      HybridHit hit = result.hits().get(i);
      out.add(
          new RankedHit(
              hit,
              scores[i],
              relevanceByChannel(model.parts(features[i]), hit.score(), hit.textPart())));
    }
    return out;
  }

  /**
   * {@code parts} with the fused relevance's part split by channel: into the text match's ({@link
   * Feature#TEXT}) and the meaning's ({@link Feature#VECTOR}) in the shares the fusion gave them
   * ({@code textPart} of {@code fused}), added to what the model gives those features itself. The
   * parts still add up to the same score; an agent reads "text match 0.61, meaning match 0.34"
   * instead of one "relevance" part.
   */
  public static Map<Feature, Float> relevanceByChannel(
      Map<Feature, Float> parts, float fused, float textPart) {
    Float relevance = parts.get(Feature.RELEVANCE);
    if (relevance == null || fused <= 0) {
      return parts;
    }
    float text = relevance * Math.min(1f, Math.max(0f, textPart / fused));
    float vector = relevance - text;
    Map<Feature, Float> out = new EnumMap<>(Feature.class);
    out.putAll(parts);
    out.remove(Feature.RELEVANCE);
    if (text != 0) {
      out.merge(Feature.TEXT, text, Float::sum);
    }
    if (vector != 0) {
      out.merge(Feature.VECTOR, vector, Float::sum);
    }
    return out;
  }
}
