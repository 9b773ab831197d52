package dev.magpie.engine.behaviour;

/**
 * How the behaviour model is built; recorded in the snapshot's manifest.
 *
 * @param window how many of a user's following events count as seen together with an event
 * @param popularityExponent how much a neighbour's own popularity divides its co-occurrence: the
 *     weight of b for a is c(a, b) / (n(a)^(1 - e) * n(b)^e); 0.5 is cosine, higher favours rarer
 *     neighbours so that popular items do not follow everything
 * @param neighbours how many neighbours each item keeps per relation (top K by weight)
 * @param complementHorizonSeconds how long after acquiring an item a later acquisition may count as
 *     its complement
 * @param complementMinSupport how many users must have acquired the pair in that order
 * @param halfLifeSeconds half-life of the time-decayed popularity
 */
public record BehaviourParameters(
    int window,
    double popularityExponent,
    int neighbours,
    long complementHorizonSeconds,
    int complementMinSupport,
    long halfLifeSeconds) {

  /**
   * Defaults: window 10, exponent 0.5 (cosine), 50 neighbours, complements within 30 days seen
   * twice, 14-day half-life.
   */
  public static final BehaviourParameters DEFAULTS =
      new BehaviourParameters(10, 0.5, 50, 30L * 86_400, 2, 14L * 86_400);

  /** Checks the ranges. */
  public BehaviourParameters {
    if (window < 1 || window > 1000) {
      throw new IllegalArgumentException("window must be 1 to 1000, got " + window);
    }
    if (!(popularityExponent >= 0 && popularityExponent <= 1)) {
      throw new IllegalArgumentException(
          "popularityExponent must be 0 to 1, got " + popularityExponent);
    }
    if (neighbours < 1 || neighbours > 10_000) {
      throw new IllegalArgumentException("neighbours must be 1 to 10000, got " + neighbours);
    }
    if (complementHorizonSeconds < 1 || complementMinSupport < 1 || halfLifeSeconds < 1) {
      throw new IllegalArgumentException(
          "complement horizon, complement support and half-life must be positive");
    }
  }
}
