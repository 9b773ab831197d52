package dev.magpie.engine.recommend;

import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * {@link Channel#EXPLORATION}, the shard's part: items with little history from the categories the
 * request starts from (or any), at pseudo-random positions of the catalog-wide pool seeded by the
 * shopper, so that a shopper sees a stable pick and shoppers differ. The shard reports each attempt
 * that lands on an item of its own the request allows; the planner takes up to three per
 * exploration slot, in attempt order.
 */
final class ExplorationChannel implements CandidateChannel {
  private final ExplorationPool pool;

  ExplorationChannel(ExplorationPool pool) {
    this.pool = pool;
  }

  @Override
  public void collect(ChannelQuery query, LocalCandidates candidates) {
    if (query.query().exploring() == 0) {
      return;
    }
    IntHashSet categories = new IntHashSet();
    for (int[] liked : query.query().likedCategories()) {
      categories.add(liked[0]);
    }
    pool.attempts(
        categories,
        query.allowed(),
        picks(query.query().exploring()),
        query.query().salt(),
        candidates::addExploration);
  }

  /** Exploration candidates wanted for {@code exploring} slots. */
  static int picks(int exploring) {
    return 3 * exploring;
  }
}
