package dev.magpie.engine.route;

import dev.magpie.engine.search.SearchResult;
import dev.magpie.engine.search.TextSearcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges the hits of every shard into the top k of the whole catalog, as one index over it would
 * rank them: by score, highest first, then by position in the catalog (a single node's ordinal, so
 * equal scores keep the order of one index), then by id. A shard's scores are the catalog's ({@link
 * dev.magpie.engine.text.CatalogStatistics}), so they compare across shards as they are; each shard
 * returns its own top k, which holds every hit of the catalog's top k that it has.
 */
public final class ShardMerge {
  /** Best first: score descending, then catalog position, then id. */
  public static final Comparator<RankedHit> ORDER =
      Comparator.comparingDouble((RankedHit h) -> -h.score())
          .thenComparingLong(RankedHit::position)
          .thenComparing(RankedHit::id);

  private ShardMerge() {}

  /**
   * One shard's hit, with what merging needs.
   *
   * @param shard the shard that found it
   * @param rank its place in that shard's answer, from 0
   * @param id the item's external id
   * @param score its score, comparable across shards
   * @param position the item's position in the whole catalog
   */
  public record RankedHit(int shard, int rank, String id, float score, long position) {}

  /**
   * The top {@code k} of the shards' answers together.
   *
   * @param perShard each shard's hits, best first
   */
  public static List<RankedHit> top(List<List<RankedHit>> perShard, int k) {
    PriorityQueue<Cursor> heads = new PriorityQueue<>(Comparator.comparing(c -> c.head(), ORDER));
    for (List<RankedHit> hits : perShard) {
      if (!hits.isEmpty()) {
        heads.add(new Cursor(hits));
      }
    }
    List<RankedHit> out = new ArrayList<>(k);
    while (out.size() < k && !heads.isEmpty()) {
      Cursor c = heads.poll();
      out.add(c.head());
      if (c.advance()) {
        heads.add(c);
      }
    }
    return out;
  }

  /**
   * Whether a search over shards runs its second, typo-tolerant phase: as one node decides, from
   * the strict hits of every shard together, when the shards allow a retry at all.
   *
   * @param k the hits asked for
   * @param strict each shard's answer to the strict phase ({@link TextSearcher.TypoRetry#STRICT})
   */
  public static boolean typoRetryNeeded(int k, List<SearchResult> strict) {
    long hits = 0;
    for (SearchResult r : strict) {
      if (!r.typoRetryAllowed()) {
        return false;
      }
      hits += r.hits().size();
    }
    return !strict.isEmpty() && TextSearcher.tooFewHits(k, hits);
  }

  /** A position in one shard's hits. */
  private static final class Cursor {
    private final List<RankedHit> hits;
    private int at;

    Cursor(List<RankedHit> hits) {
      this.hits = hits;
    }

    RankedHit head() {
      return hits.get(at);
    }

    boolean advance() {
      return ++at < hits.size();
    }
  }
}
