package dev.magpie.engine.vector;

/**
 * Scores graph nodes against one query held by the scorer, larger meaning more similar: int8 code
 * dot products, or binary code agreement. A graph walk needs nothing else of the codes.
 */
@FunctionalInterface
interface VectorScorer {
  /** The score of {@code node} against this scorer's query. */
  int score(int node);
}
