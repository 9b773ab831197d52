package dev.magpie.engine.recommend;

/** {@link Channel#POPULAR_IN_CATEGORY}: the most popular items of each category to start from. */
final class PopularInCategoryChannel implements CandidateChannel {
  private final PopularityOrder popularity;

  PopularInCategoryChannel(PopularityOrder popularity) {
    this.popularity = popularity;
  }

  @Override
  public void collect(ChannelQuery query, Candidates candidates) {
    for (int[] liked : query.likedCategories()) {
      for (int item : popularity.topOfCategory(liked[0])) {
        if (query.allowed().test(item)) {
          candidates.addFound(item, Channel.POPULAR_IN_CATEGORY);
        }
      }
    }
  }
}
