package dev.magpie.engine.recommend;

/** Where a recommended item was found; an item found by several channels lists each. */
public enum Channel {
  /** Seen together with the shopper's or the context's items (behaviour item-to-item). */
  TOGETHER,
  /** A directional complement: bought after the shopper's or the context's items. */
  COMPLEMENT,
  /** Near the shopper's profile vector, or the context items' vectors. */
  VECTOR,
  /** A category the knowledge file relates to the shopper's (complement, substitute, occasion). */
  KNOWLEDGE,
  /** Popular in a category the shopper likes, or in the context's category. */
  POPULAR_IN_CATEGORY,
  /** Popular overall: the fallback when little is known. */
  POPULAR,
  /** Picked for exploration: an item with little history yet, in a category that fits. */
  EXPLORATION
}
