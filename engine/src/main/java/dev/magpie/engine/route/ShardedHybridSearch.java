package dev.magpie.engine.route;

import dev.magpie.engine.embed.Embedder;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.search.Fusion;
import dev.magpie.engine.search.SearchRequest;
import dev.magpie.engine.search.TextSearcher;
import dev.magpie.engine.snapshot.Snapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Hybrid search over every shard of a catalog held in this process, answered as a router answers
 * ({@link ShardSearcher} on each shard, {@link RoutedSearch} over them): for tests that hold it to
 * a single node's answer, and for evaluation. Thread-safe.
 */
public final class ShardedHybridSearch {
  private final List<Snapshot> shards;
  private final List<ShardSearcher> searchers = new ArrayList<>();

  /** Search over {@code shards} (in shard order), query texts embedded with {@code embedder}. */
  public ShardedHybridSearch(List<Snapshot> shards, Embedder embedder) {
    this.shards = List.copyOf(shards);
    for (Snapshot s : shards) {
      searchers.add(new ShardSearcher(s, embedder));
    }
  }

  /**
   * The catalog's answer: the top {@code depth} fused and, with a model, the best {@code
   * request.k()} of those by it.
   *
   * @param queryVector the caller's query vector, or null to embed the text
   */
  public RoutedSearch.Answer search(
      SearchRequest request, float[] queryVector, Fusion fusion, int depth, RankingModel model)
      throws IOException {
    try (ShardViews views = ShardViews.acquire(shards)) {
      SearchRequest deep = request.withK(depth);
      TextSearcher.TypoRetry retry = TextSearcher.TypoRetry.STRICT;
      List<ShardCandidates> found = phase(views, deep, queryVector, fusion, retry);
      if (RoutedSearch.typoRetryNeeded(RoutedSearch.channelCandidates(deep, fusion), found)) {
        retry = TextSearcher.TypoRetry.TOLERANT;
        found = phase(views, deep, queryVector, fusion, retry);
      }
      RoutedSearch.Answer fused = RoutedSearch.merge(found, depth);
      if (model == null || fused.nothingToSearch()) {
        return fused.limit(request.k());
      }
      String corrected = found.getFirst().correctedText();
      List<float[]> features = new ArrayList<>();
      for (RoutedSearch.Hit h : fused.hits()) {
        features.add(
            searchers
                .get(h.shard())
                .features(views.get(h.shard()), corrected, List.of(h.id()))
                .getFirst());
      }
      return fused.withHits(RoutedSearch.rerank(fused.hits(), features, model, request.k()));
    }
  }

  private List<ShardCandidates> phase(
      ShardViews views,
      SearchRequest request,
      float[] queryVector,
      Fusion fusion,
      TextSearcher.TypoRetry retry)
      throws IOException {
    List<ShardCandidates> out = new ArrayList<>();
    for (int s = 0; s < views.size(); s++) {
      out.add(searchers.get(s).candidates(views.get(s), request, queryVector, fusion, retry));
    }
    return out;
  }
}
