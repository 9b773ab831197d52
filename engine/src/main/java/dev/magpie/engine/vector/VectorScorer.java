package dev.magpie.engine.vector;

/**
 * Scores graph nodes against one query held by the scorer, larger meaning more similar: int8 code
 * dot products, or binary code agreement. A graph walk needs nothing else of the codes.
 */
@FunctionalInterface
interface VectorScorer {
  /** The score of {@code node} against this scorer's query. */
  int score(int node);

  /**
   * The scores of {@code nodes[0]} to {@code nodes[count - 1]} into {@code scores}, in order: what
   * {@link #score(int)} gives each. A scorer may read several nodes' codes at once, so that their
   * cache misses overlap; a walk hands it every node it scores in one expansion.
   */
  default void score(int[] nodes, int count, int[] scores) {
    for (int i = 0; i < count; i++) {
      scores[i] = score(nodes[i]);
    }
  }
}
