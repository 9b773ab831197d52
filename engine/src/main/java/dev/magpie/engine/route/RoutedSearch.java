package dev.magpie.engine.route;

import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.search.ChannelFusion;
import dev.magpie.engine.search.Constraint;
import dev.magpie.engine.search.Fusion;
import dev.magpie.engine.search.SearchRequest;
import dev.magpie.engine.search.SearchReranker;
import dev.magpie.engine.search.TextSearcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The router's half of a hybrid search: from every shard's candidates ({@link ShardCandidates}),
 * the catalog's text channel (the best candidates by BM25 over all shards, as one index ranks
 * them), its vector channel (likewise by similarity), their union fused over all shards' candidates
 * ({@link ChannelFusion}), and the reranker run once over the global top hits with the features the
 * shards computed and the ones only the whole set decides. Holds no catalog.
 */
public final class RoutedSearch {
  /** The text channel's order: BM25 descending, then catalog position (Lucene's doc order). */
  static final Comparator<Placed> TEXT_ORDER =
      Comparator.comparingDouble((Placed p) -> -p.candidate().textScore())
          .thenComparingLong(p -> p.candidate().position());

  /**
   * The vector channel's order: similarity descending, then the later catalog position first, as
   * one node's vector index breaks ties.
   */
  static final Comparator<Placed> VECTOR_ORDER =
      Comparator.comparingDouble((Placed p) -> -p.candidate().vectorScore())
          .thenComparingLong(p -> -p.candidate().position());

  private RoutedSearch() {}

  /** A candidate and the shard that has it. */
  record Placed(int shard, ShardCandidates.Candidate candidate) {}

  /**
   * A hit of the merged answer.
   *
   * @param shard the shard that holds it
   * @param id the item's external id
   * @param position its catalog position
   * @param evidence its global channel ranks and scores
   * @param fused its fused score
   * @param textPart the text channel's share of the fused score
   * @param score its final score: the model's when reranked, else the fused one
   * @param parts the model's score parts (empty when not reranked)
   */
  public record Hit(
      int shard,
      String id,
      long position,
      ChannelFusion.Evidence evidence,
      float fused,
      float textPart,
      float score,
      Map<Feature, Float> parts) {}

  /**
   * The merged answer.
   *
   * @param hits the best k, best first
   * @param searchedText the text searched
   * @param understood what understanding applied
   * @param notes warnings for the caller
   * @param fusion the fusion applied
   * @param nothingToSearch whether there was nothing to search
   */
  public record Answer(
      List<Hit> hits,
      String searchedText,
      List<Constraint> understood,
      List<String> notes,
      Fusion fusion,
      boolean nothingToSearch) {
    /** This answer with its best {@code k} hits only. */
    public Answer limit(int k) {
      return withHits(hits.subList(0, Math.min(k, hits.size())));
    }

    /** This answer with other hits. */
    public Answer withHits(List<Hit> others) {
      return new Answer(
          List.copyOf(others), searchedText, understood, notes, fusion, nothingToSearch);
    }
  }

  /**
   * Whether the shards' strict answers found too few text hits over the catalog, so that every
   * shard runs the typo-tolerant phase, as one node decides ({@link TextSearcher#tooFewHits}).
   *
   * @param k the hits the text channel was asked for
   */
  public static boolean typoRetryNeeded(int k, List<ShardCandidates> strict) {
    long hits = 0;
    for (ShardCandidates s : strict) {
      if (!s.typoRetryAllowed()) {
        return false;
      }
      for (ShardCandidates.Candidate c : s.candidates()) {
        hits += c.textRank() > 0 ? 1 : 0;
      }
    }
    return !strict.isEmpty() && TextSearcher.tooFewHits(k, hits);
  }

  /** The text channel's k for {@code request} under {@code fusion}, as a single node asks. */
  public static int channelCandidates(SearchRequest request, Fusion fusion) {
    return Math.min(Math.max(request.k(), fusion.candidates()), SearchRequest.MAX_K);
  }

  /**
   * Merges the shards' candidates into the catalog's best {@code depth} by fused score.
   *
   * @param shards each shard's candidates, in shard order; null for a shard that gave none (at
   *     least one gave some)
   * @param depth the hits fused (the request's k to the shards: the rerank depth when reranking)
   */
  public static Answer merge(List<ShardCandidates> shards, int depth) {
    ShardCandidates first = shards.stream().filter(Objects::nonNull).findFirst().orElseThrow();
    if (first.nothingToSearch()) {
      return new Answer(
          List.of(), first.searchedText(), first.understood(), first.notes(), first.fusion(), true);
    }
    Fusion fusion = first.fusion();
    int channel = Math.min(Math.max(depth, fusion.candidates()), SearchRequest.MAX_K);
    List<Placed> text = new ArrayList<>();
    List<Placed> vector = new ArrayList<>();
    boolean textRan = false;
    boolean vectorRan = false;
    for (int s = 0; s < shards.size(); s++) {
      if (shards.get(s) == null) {
        continue;
      }
      textRan |= shards.get(s).textRan();
      vectorRan |= shards.get(s).vectorRan();
      for (ShardCandidates.Candidate c : shards.get(s).candidates()) {
        if (c.textRank() > 0) {
          text.add(new Placed(s, c));
        }
        if (c.vectorRank() > 0) {
          vector.add(new Placed(s, c));
        }
      }
    }
    text.sort(TEXT_ORDER);
    vector.sort(VECTOR_ORDER);
    Map<String, Ranked> union = new LinkedHashMap<>();
    for (int r = 0; r < Math.min(channel, text.size()); r++) {
      union.computeIfAbsent(text.get(r).candidate().id(), id -> new Ranked()).textRank = r + 1;
      union.get(text.get(r).candidate().id()).placed = text.get(r);
    }
    for (int r = 0; r < Math.min(channel, vector.size()); r++) {
      Ranked ranked = union.computeIfAbsent(vector.get(r).candidate().id(), id -> new Ranked());
      ranked.vectorRank = r + 1;
      ranked.placed = vector.get(r);
    }
    boolean filled = fusion.method() == Fusion.Method.LINEAR;
    List<ChannelFusion.Evidence> evidence = new ArrayList<>(union.size());
    Map<Long, Ranked> byPosition = new LinkedHashMap<>();
    for (Ranked r : union.values()) {
      ShardCandidates.Candidate c = r.placed.candidate();
      evidence.add(
          new ChannelFusion.Evidence(
              c.position(),
              r.textRank,
              r.textRank > 0 || filled ? c.textScore() : 0f,
              r.vectorRank,
              r.vectorRank > 0 || filled ? c.vectorScore() : 0f));
      byPosition.put(c.position(), r);
    }
    List<ChannelFusion.Fused> fused =
        ChannelFusion.fuse(evidence, fusion, textRan, vectorRan, depth);
    List<Hit> hits = new ArrayList<>(fused.size());
    for (ChannelFusion.Fused f : fused) {
      Placed p = byPosition.get(f.evidence().order()).placed;
      hits.add(
          new Hit(
              p.shard(),
              p.candidate().id(),
              p.candidate().position(),
              f.evidence(),
              (float) f.fused(),
              (float) f.textPart(),
              (float) f.fused(),
              Map.of()));
    }
    return new Answer(hits, first.searchedText(), first.understood(), first.notes(), fusion, false);
  }

  /**
   * The best {@code k} of {@code hits} (fused, best first) by the model, ties kept in fused order.
   *
   * @param itemFeatures each hit's features that need no other hit, from its shard, in hit order
   */
  public static List<Hit> rerank(
      List<Hit> hits, List<float[]> itemFeatures, RankingModel model, int k) {
    float maxText = 0;
    for (Hit h : hits) {
      maxText = Math.max(maxText, h.evidence().textScore());
    }
    float[][] features = new float[hits.size()][];
    float[] scores = new float[hits.size()];
    Integer[] order = new Integer[hits.size()];
    for (int i = 0; i < hits.size(); i++) {
      Hit h = hits.get(i);
      float[] item = itemFeatures.get(i);
      if (item == null) {
        throw new IllegalStateException("shard " + h.shard() + " sent no features for " + h.id());
      }
      float[] f = Arrays.copyOf(item, item.length);
      ChannelFusion.Evidence e = h.evidence();
      SearchReranker.channelFeatures(
          f, h.fused(), e.textScore(), maxText, e.vectorScore(), e.textRank(), e.vectorRank());
      features[i] = f;
      scores[i] = model.score(f);
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) ->
            scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : Integer.compare(a, b));
    List<Hit> out = new ArrayList<>(Math.min(k, order.length));
    for (int r = 0; r < Math.min(k, order.length); r++) {
      Hit h = hits.get(order[r]);
      out.add(
          new Hit(
              h.shard(),
              h.id(),
              h.position(),
              h.evidence(),
              h.fused(),
              h.textPart(),
              scores[order[r]],
              SearchReranker.relevanceByChannel(
                  model.parts(features[order[r]]), h.fused(), h.textPart())));
    }
    return out;
  }

  /** A union member's global ranks and where it is. */
  private static final class Ranked {
    int textRank;
    int vectorRank;
    Placed placed;
  }
}
