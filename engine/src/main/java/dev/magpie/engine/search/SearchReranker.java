package dev.magpie.engine.search;

import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.text.ProductAnalyzer;
import dev.magpie.engine.text.QueryTerms;
import dev.magpie.engine.text.UnitNormalizer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reorders hybrid hits with a {@link RankingModel}: each hit gets the shared {@link Feature} vector
 * (fused relevance, BM25 score over the result's best, cosine, reciprocal channel ranks, query words
 * in the title, and the item's behaviour statistics and rating), the model scores it, and the hits
 * are sorted by that score. Each hit keeps its score parts. No sponsored or paid input is read.
 * Thread-safe.
 */
public final class SearchReranker {
  private final ItemStore items;
  private final BehaviourModel behaviour;
  private final RankingModel model;

  /** A reranker over {@code snapshot} with {@code model}. */
  public SearchReranker(Snapshot snapshot, RankingModel model) {
    this.items = snapshot.items();
    this.behaviour = snapshot.behaviour();
    this.model = model;
  }

  /**
   * A reranked hit.
   *
   * @param hit the hybrid hit
   * @param score the model's score
   * @param parts each feature's contribution (weight times value), non-zero ones only
   */
  public record RankedHit(HybridHit hit, float score, Map<Feature, Float> parts) {}

  /** The feature vectors of {@code result}'s hits, in hit order (for training and for {@link #rerank}). */
  public float[][] features(HybridResult result) {
    List<HybridHit> hits = result.hits();
    float[][] out = new float[hits.size()][];
    float maxText = 0;
    for (HybridHit h : hits) {
      maxText = Math.max(maxText, h.textScore());
    }
    List<String> queryTerms = terms(result.searchedText());
    for (int i = 0; i < out.length; i++) {
      HybridHit h = hits.get(i);
      float[] f = new float[Feature.values().length];
      f[Feature.RELEVANCE.ordinal()] = h.score();
      f[Feature.TEXT.ordinal()] = maxText > 0 ? h.textScore() / maxText : 0f;
      f[Feature.VECTOR.ordinal()] = Math.max(0f, h.vectorScore());
      f[Feature.TEXT_RANK.ordinal()] = h.textRank() > 0 ? 1f / h.textRank() : 0f;
      f[Feature.VECTOR_RANK.ordinal()] = h.vectorRank() > 0 ? 1f / h.vectorRank() : 0f;
      if (!queryTerms.isEmpty()) {
        Set<String> title = new HashSet<>(terms(items.title(h.ordinal())));
        int found = 0;
        for (String t : queryTerms) {
          found += title.contains(t) ? 1 : 0;
        }
        f[Feature.TITLE_COVERAGE.ordinal()] = (float) found / queryTerms.size();
      }
      float rating = items.rating(h.ordinal());
      f[Feature.RATING.ordinal()] = rating > 0 ? rating / 5f : 0f;
      if (behaviour != null) {
        f[Feature.CONVERSION.ordinal()] = behaviour.stats().conversion(h.ordinal());
      }
      out[i] = f;
    }
    return out;
  }

  private static List<String> terms(String text) {
    return QueryTerms.of(UnitNormalizer.normalize(text.toLowerCase(Locale.ROOT)), ProductAnalyzer.Stemming.PLURALS);
  }

  /** {@code result}'s hits ordered by the model, best first (ties keep the hybrid order). */
  public List<RankedHit> rerank(HybridResult result) {
    float[][] features = features(result);
    List<RankedHit> out = new ArrayList<>(features.length);
    for (int i = 0; i < features.length; i++) {
      Map<Feature, Float> parts = new EnumMap<>(Feature.class);
      for (Feature f : Feature.values()) {
        float part = model.weight(f) * features[i][f.ordinal()];
        if (part != 0) {
          parts.put(f, part);
        }
      }
      out.add(new RankedHit(result.hits().get(i), model.score(features[i]), parts));
    }
    List<RankedHit> sorted = new ArrayList<>(out);
    sorted.sort((a, b) -> Float.compare(b.score(), a.score()));
    return sorted;
  }
}
