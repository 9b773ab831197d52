package dev.magpie.engine.recommend;

/**
 * How a result list is diversified: maximal marginal relevance (each next item maximises {@code
 * lambda} times its normalised score minus {@code 1 - lambda} times its similarity to the items
 * already chosen: 0.6 for the same category, 0.4 for the same brand), then caps on how many items
 * of one brand or one category a list of k may hold (the share times k, rounded up, at least 1).
 *
 * @param lambda 1 ranks by score alone, lower trades score for variety
 * @param brandShare most of a list one brand may take (1 for no cap)
 * @param categoryShare most of a list one category may take (1 for no cap)
 */
public record Diversity(float lambda, float brandShare, float categoryShare) {
  /** The default: light MMR, at most 30% of a list from one brand and 50% from one category. */
  public static final Diversity DEFAULT = new Diversity(0.85f, 0.3f, 0.5f);

  /** No diversification: order by score. */
  public static final Diversity NONE = new Diversity(1f, 1f, 1f);

  /** Checks the ranges. */
  public Diversity {
    if (!(lambda >= 0 && lambda <= 1)) {
      throw new IllegalArgumentException("diversity lambda must be from 0 to 1, got " + lambda);
    }
    if (!(brandShare > 0 && brandShare <= 1) || !(categoryShare > 0 && categoryShare <= 1)) {
      throw new IllegalArgumentException(
          "diversity shares must be above 0 and at most 1, got brand "
              + brandShare
              + ", category "
              + categoryShare);
    }
  }

  /** The most items one brand may have in a list of {@code k}. */
  int brandCap(int k) {
    return Math.max(1, (int) Math.ceil(brandShare * k));
  }

  /** The most items one category may have in a list of {@code k}. */
  int categoryCap(int k) {
    return Math.max(1, (int) Math.ceil(categoryShare * k));
  }
}
