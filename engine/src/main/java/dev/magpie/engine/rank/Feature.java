package dev.magpie.engine.rank;

/**
 * What the reranker knows about one candidate, each value scaled to about 0..1 so that a model's
 * weights compare. Search and recommendation share the list; a feature a request cannot know is 0.
 * Nothing paid or sponsored is a feature: organic order is decided by these alone.
 */
public enum Feature {
  /** The fused relevance of a search hit (hybrid score, 0..1). */
  RELEVANCE("relevance"),
  /** BM25 score over the best BM25 score of the request. */
  TEXT("text match"),
  /** 1 / rank in the text channel's candidates, 0 when it did not return the item. */
  TEXT_RANK("text rank"),
  /** 1 / rank in the vector channel's candidates, 0 when it did not return the item. */
  VECTOR_RANK("meaning rank"),
  /** Fraction of the query's words found in the item's title. */
  TITLE_COVERAGE("query words in the title"),
  /** Query words in the title weighted by rarity (inverse document frequency), over the query's. */
  TITLE_RARE_WORDS("rare query words in the title"),
  /** Share of the query's adjacent word pairs found adjacent, in order, in the title. */
  TITLE_IN_ORDER("query words in order in the title"),
  /** The query's last word (what is wanted) in the title's main part (1), elsewhere in it (0.5). */
  QUERY_HEAD("the thing asked for"),
  /** A query word is the title's product type (its last words before "in", "with", "for"). */
  PRODUCT_TYPE("product type asked for"),
  /** Share of the query's numbers (sizes, gauges) found in the title; 1 when it has none. */
  TITLE_NUMBERS("sizes asked for"),
  /** Share of the title's words that the query did not ask for. */
  TITLE_EXTRA_WORDS("other words in the title"),
  /**
   * Share of the query's character trigrams found in the title (tolerates typos and joined words).
   */
  TITLE_TRIGRAMS("spelling-tolerant match"),
  /** Cosine similarity to the query, or to the shopper's profile vector. */
  VECTOR("meaning match"),
  /** Items seen together with the shopper's items, over the request's best. */
  TOGETHER("seen together"),
  /** Directional complements of the shopper's items, over the request's best. */
  COMPLEMENT("bought after"),
  /** Weight of a knowledge relation (complement, occasion) from the shopper's categories. */
  KNOWLEDGE("category relation"),
  /** The shopper's affinity for the item's category (0..1). */
  CATEGORY_AFFINITY("category affinity"),
  /** The shopper's affinity for the item's brand (0..1). */
  BRAND_AFFINITY("brand affinity"),
  /** Percentile of the item's time-decayed popularity (0 least, 1 most popular). */
  POPULARITY("popularity"),
  /** Smoothed purchase rate of the item's views. */
  CONVERSION("conversion"),
  /** Star rating over 5. */
  RATING("rating"),
  /**
   * How new the item is to shoppers: 1 when first seen now, halving every 30 days; 0 never seen.
   */
  FRESHNESS("new arrival"),
  /** How close the price is to what the shopper pays in that category (1 same, towards 0 far). */
  PRICE_FIT("price fit"),
  /** 1 for an item picked for exploration (little history yet), else 0. */
  EXPLORATION("exploration");

  /** Days over which {@link #FRESHNESS} halves. */
  public static final float FRESHNESS_HALF_LIFE_DAYS = 30f;

  private final String label;

  Feature(String label) {
    this.label = label;
  }

  /** How the feature is named in explanations. */
  public String label() {
    return label;
  }

  /** The feature named {@code name} (its enum name, case-insensitive), or null. */
  public static Feature named(String name) {
    for (Feature f : values()) {
      if (f.name().equalsIgnoreCase(name)) {
        return f;
      }
    }
    return null;
  }
}
