package dev.magpie.engine.recommend;

import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * {@link Channel#EXPLORATION}: up to three items per exploration slot with little history, from the
 * categories the request starts from (or any), chosen by a hash of shopper and item so that a
 * shopper sees a stable pick and shoppers differ.
 */
final class ExplorationChannel implements CandidateChannel {
  private final ExplorationPool pool;

  ExplorationChannel(ExplorationPool pool) {
    this.pool = pool;
  }

  @Override
  public void collect(ChannelQuery query, Candidates candidates) {
    if (query.exploring() == 0) {
      return;
    }
    IntHashSet categories = new IntHashSet();
    for (int[] liked : query.likedCategories()) {
      categories.add(liked[0]);
    }
    String user = query.profile().user();
    for (int item :
        pool.pick(
            categories,
            query.allowed(),
            3 * query.exploring(),
            user == null ? 0 : user.hashCode())) {
      candidates.addExploration(item);
    }
  }
}
