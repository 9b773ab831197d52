package dev.magpie.engine.recommend;

/**
 * {@link Channel#POPULAR}: the fallback when the other channels found fewer than three candidates
 * per item asked for: the catalog's most popular items that are allowed, until there are.
 */
final class PopularChannel implements CandidateChannel {
  private final PopularityOrder popularity;

  PopularChannel(PopularityOrder popularity) {
    this.popularity = popularity;
  }

  @Override
  public void collect(ChannelQuery query, Candidates candidates) {
    int wanted = 3 * query.k();
    if (candidates.size() >= wanted) {
      return;
    }
    int[] order = popularity.byPopularity();
    for (int i = 0, taken = 0; i < order.length && taken < wanted; i++) {
      if (query.allowed().test(order[i])) {
        candidates.addFound(order[i], Channel.POPULAR);
        taken++;
      }
    }
  }
}
