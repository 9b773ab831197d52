package dev.magpie.engine.embed;

import dev.magpie.engine.catalog.Item;

/**
 * The text an item is embedded from: title, brand, category path and the start of the description,
 * so that a query matches what the product is, who makes it and where it sits in the catalog.
 */
public final class ItemText {
  /** Characters of the description that are embedded (the model reads about 256 word pieces). */
  public static final int DESCRIPTION_CHARS = 300;

  private ItemText() {}

  /** The embedding text of {@code item}. */
  public static String of(Item item) {
    StringBuilder text = new StringBuilder(item.title());
    if (!item.brand().isEmpty()) {
      text.append(". ").append(item.brand());
    }
    if (!item.categoryPath().isEmpty()) {
      text.append(". ").append(item.categoryPath().replace(" > ", ", ").replace('>', ','));
    }
    String description = item.description();
    if (!description.isEmpty()) {
      int end = Math.min(description.length(), DESCRIPTION_CHARS);
      if (end < description.length() && Character.isHighSurrogate(description.charAt(end - 1))) {
        end--;
      }
      text.append(". ").append(description, 0, end);
    }
    return text.toString();
  }
}
