package dev.magpie.engine.route;

import dev.magpie.engine.search.SearchHit;
import dev.magpie.engine.search.SearchRequest;
import dev.magpie.engine.search.SearchResult;
import dev.magpie.engine.search.TextSearcher;
import dev.magpie.engine.snapshot.Snapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * BM25 search over every shard of a catalog held in this process, answered as a router answers: the
 * strict query on each shard, the typo-tolerant one on each when all of them together found too
 * few, then the shards' hits merged ({@link ShardMerge}). Equals a single node's search over the
 * whole catalog. Thread-safe.
 */
public final class ShardedTextSearch {
  private final List<Snapshot> shards;
  private final List<TextSearcher> searchers;

  /** Search over {@code shards}, one open snapshot per shard, in shard order. */
  public ShardedTextSearch(List<Snapshot> shards) {
    this.shards = List.copyOf(shards);
    this.searchers = new ArrayList<>();
    for (Snapshot s : shards) {
      searchers.add(new TextSearcher(s));
    }
  }

  /**
   * The catalog's answer to {@code request}.
   *
   * @param hits the merged top k, best first
   * @param totalMatches matches on every shard together
   * @param fuzzy whether the typo-tolerant phase ran
   * @param first the first shard's own answer: what was understood and searched, the same on each
   */
  public record Answer(
      List<ShardMerge.RankedHit> hits, long totalMatches, boolean fuzzy, SearchResult first) {}

  /** Searches every shard, each at its current view, and merges. */
  public Answer search(SearchRequest request) throws IOException {
    try (ShardViews views = ShardViews.acquire(shards)) {
      List<SearchResult> results = phase(views, request, TextSearcher.TypoRetry.STRICT);
      boolean retried = ShardMerge.typoRetryNeeded(request.k(), results);
      if (retried) {
        results = phase(views, request, TextSearcher.TypoRetry.TOLERANT);
      }
      List<List<ShardMerge.RankedHit>> ranked = new ArrayList<>();
      long total = 0;
      for (int s = 0; s < results.size(); s++) {
        SearchResult r = results.get(s);
        total += r.totalMatches();
        List<ShardMerge.RankedHit> hits = new ArrayList<>(r.hits().size());
        for (int i = 0; i < r.hits().size(); i++) {
          SearchHit h = r.hits().get(i);
          hits.add(
              new ShardMerge.RankedHit(
                  s,
                  i,
                  h.externalId(),
                  h.score(),
                  views.get(s).items().catalogPosition(h.ordinal())));
        }
        ranked.add(hits);
      }
      return new Answer(
          ShardMerge.top(ranked, request.k()),
          total,
          results.stream().anyMatch(SearchResult::fuzzy),
          results.getFirst());
    }
  }

  /**
   * The score the catalog's search gives each of the items {@code ids} for {@code request}, as
   * {@link TextSearcher#score} gives on one node: 0 where the query or a filter does not match or
   * no shard holds the item. The typo phase is decided over every shard, as for a search.
   */
  public float[] score(SearchRequest request, List<String> ids) throws IOException {
    try (ShardViews views = ShardViews.acquire(shards)) {
      TextSearcher.TypoRetry retry =
          ShardMerge.typoRetryNeeded(
                  request.k(), phase(views, request, TextSearcher.TypoRetry.STRICT))
              ? TextSearcher.TypoRetry.TOLERANT
              : TextSearcher.TypoRetry.STRICT;
      float[] scores = new float[ids.size()];
      for (int s = 0; s < views.size(); s++) {
        List<Integer> at = new ArrayList<>();
        List<Integer> ordinals = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
          int ordinal = views.get(s).items().ordinalOf(ids.get(i));
          if (ordinal >= 0) {
            at.add(i);
            ordinals.add(ordinal);
          }
        }
        if (ordinals.isEmpty()) {
          continue;
        }
        float[] found =
            searchers
                .get(s)
                .score(
                    views.get(s),
                    request,
                    retry,
                    ordinals.stream().mapToInt(Integer::intValue).toArray());
        for (int j = 0; j < found.length; j++) {
          scores[at.get(j)] = found[j];
        }
      }
      return scores;
    }
  }

  private List<SearchResult> phase(
      ShardViews views, SearchRequest request, TextSearcher.TypoRetry retry) throws IOException {
    List<SearchResult> results = new ArrayList<>(views.size());
    for (int s = 0; s < views.size(); s++) {
      results.add(searchers.get(s).search(views.get(s), request, retry));
    }
    return results;
  }
}
