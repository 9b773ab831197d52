package dev.magpie.engine.vector;

/**
 * The items a vector search found, most similar first.
 *
 * @param ordinals item ordinals
 * @param scores their similarity to the query (cosine for cosine indexes), from the int8 codes
 * @param exact whether every candidate was scored (filtered search over few items) rather than the
 *     graph walked
 * @param scored how many items were scored
 */
public record VectorResult(int[] ordinals, float[] scores, boolean exact, long scored) {
  /** Number of hits. */
  public int size() {
    return ordinals.length;
  }
}
