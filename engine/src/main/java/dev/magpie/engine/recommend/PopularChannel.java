package dev.magpie.engine.recommend;

/**
 * {@link Channel#POPULAR}, the shard's part: its most popular allowed items, three per item asked
 * for, with their catalog-wide ranks. The planner uses them only when the other channels found
 * fewer than three candidates per item asked for, taking the catalog's most popular until there
 * are.
 */
final class PopularChannel implements CandidateChannel {
  private final PopularityOrder popularity;

  PopularChannel(PopularityOrder popularity) {
    this.popularity = popularity;
  }

  @Override
  public void collect(ChannelQuery query, LocalCandidates candidates) {
    int wanted = 3 * query.query().k();
    int[] order = popularity.byPopularity();
    for (int r = 0, taken = 0; r < order.length && taken < wanted; r++) {
      if (query.allowed().test(order[r])) {
        candidates.addPopular(order[r], popularity.rankAt(r));
        taken++;
      }
    }
  }
}
