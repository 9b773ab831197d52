package dev.magpie.engine.recommend;

/**
 * {@link Channel#POPULAR_IN_CATEGORY}: the most popular items of each category to start from (the
 * catalog-wide top of each, of which a shard holds some).
 */
final class PopularInCategoryChannel implements CandidateChannel {
  private final PopularityOrder popularity;

  PopularInCategoryChannel(PopularityOrder popularity) {
    this.popularity = popularity;
  }

  @Override
  public void collect(ChannelQuery query, LocalCandidates candidates) {
    for (int[] liked : query.query().likedCategories()) {
      for (int item : popularity.topOfCategory(liked[0])) {
        if (query.allowed().test(item)) {
          candidates.addPopularInCategory(item);
        }
      }
    }
  }
}
