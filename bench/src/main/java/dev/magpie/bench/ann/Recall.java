package dev.magpie.bench.ann;

/** Recall of approximate neighbour lists against exact ones. */
final class Recall {
  private Recall() {}

  /**
   * The share of the exact neighbours that were found, over all queries: for each query, how many
   * of {@code found[q]} are in {@code truth[q]}, summed, over the total length of {@code truth}.
   */
  static double at(int[][] truth, int[][] found) {
    if (truth.length != found.length) {
      throw new IllegalArgumentException(
          truth.length + " exact lists but " + found.length + " found");
    }
    long hits = 0;
    long expected = 0;
    for (int q = 0; q < truth.length; q++) {
      expected += truth[q].length;
      for (int id : found[q]) {
        for (int t : truth[q]) {
          if (t == id) {
            hits++;
            break;
          }
        }
      }
    }
    return expected == 0 ? 1.0 : hits / (double) expected;
  }
}
