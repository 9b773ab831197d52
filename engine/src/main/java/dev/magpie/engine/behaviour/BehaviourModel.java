package dev.magpie.engine.behaviour;

/**
 * What the behaviour log says about items: statistics, which items shoppers take together, and
 * which they take after which.
 *
 * @param stats per-item statistics
 * @param together items seen together in users' histories (within the window), normalised against
 *     popularity ({@link BehaviourParameters#popularityExponent()}); symmetric counts, rows top K
 * @param complements directional: b in a's row when users acquired (bought, or rated) b after a
 *     more often than a after b
 * @param parameters how it was built
 * @param latest the log's latest event time, seconds since the epoch (popularity is decayed to it)
 */
public record BehaviourModel(
    ItemStats stats,
    ItemRelations together,
    ItemRelations complements,
    BehaviourParameters parameters,
    long latest) {

  /** Checks that every part covers the same items. */
  public BehaviourModel {
    if (together.items() != stats.size() || complements.items() != stats.size()) {
      throw new IllegalArgumentException(
          "behaviour model: statistics for "
              + stats.size()
              + " items, relations for "
              + together.items()
              + " and "
              + complements.items());
    }
  }

  /** Number of items. */
  public int items() {
    return stats.size();
  }
}
