package dev.magpie.engine.vector;

/**
 * How an HNSW graph is built. Recorded in the snapshot's manifest; the same parameters and seed
 * over the same vectors give the same graph, byte for byte, whatever the number of build threads.
 *
 * @param m links per node on the upper levels; level 0 allows {@code 2m}
 * @param efConstruction beam width while inserting
 * @param seed seeds the random level of each node
 */
public record HnswParameters(int m, int efConstruction, long seed) {
  /** Defaults: M = 16, efConstruction = 200, seed 42. */
  public static final HnswParameters DEFAULTS = new HnswParameters(16, 200, 42);

  /** The most levels a graph may have. */
  public static final int MAX_LEVELS = 16;

  /** Checks the ranges. */
  public HnswParameters {
    if (m < 2 || m > 256) {
      throw new IllegalArgumentException("hnsw m must be 2 to 256, got " + m);
    }
    if (efConstruction < 1 || efConstruction > 10_000) {
      throw new IllegalArgumentException(
          "hnsw efConstruction must be 1 to 10000, got " + efConstruction);
    }
  }

  /** Links per node on level 0. */
  public int m0() {
    return 2 * m;
  }

  /** Links per node on {@code level}. */
  public int maxLinks(int level) {
    return level == 0 ? m0() : m;
  }
}
