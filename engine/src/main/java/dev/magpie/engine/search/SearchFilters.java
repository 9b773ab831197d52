package dev.magpie.engine.search;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Restrictions on which items a search may return, all of which must hold.
 *
 * @param categories category paths ("Home > Kitchen") or leaf names ("Knives"), case-insensitive;
 *     an item matches if its category is one of them or below one; empty for any
 * @param brands brand names, case-insensitive; empty for any
 * @param minPriceMinor lowest price in minor units, or -1 for no lower bound
 * @param maxPriceMinor highest price in minor units, or -1 for no upper bound; a price bound
 *     excludes items whose price is unknown
 * @param inStockOnly exclude items known to be out of stock (unknown stock is kept)
 * @param attributes attribute name to required value, case-insensitive
 */
public record SearchFilters(
    List<String> categories,
    List<String> brands,
    long minPriceMinor,
    long maxPriceMinor,
    boolean inStockOnly,
    Map<String, String> attributes) {

  /** No restriction. */
  public static final SearchFilters NONE = new SearchFilters(List.of(), List.of(), -1, -1, false, Map.of());

  /** Copies the collections and checks the price bounds. */
  public SearchFilters {
    categories = List.copyOf(categories);
    brands = List.copyOf(brands);
    attributes = Map.copyOf(attributes);
    if (minPriceMinor < -1 || maxPriceMinor < -1) {
      throw new IllegalArgumentException(
          "price bounds must be -1 (none) or at least 0, got " + minPriceMinor + " and " + maxPriceMinor);
    }
    if (minPriceMinor >= 0 && maxPriceMinor >= 0 && minPriceMinor > maxPriceMinor) {
      throw new IllegalArgumentException(
          "minimum price " + minPriceMinor + " is above maximum price " + maxPriceMinor);
    }
  }

  /** Whether nothing is restricted. */
  public boolean isEmpty() {
    return categories.isEmpty() && brands.isEmpty() && minPriceMinor < 0 && maxPriceMinor < 0
        && !inStockOnly && attributes.isEmpty();
  }

  /** These filters and {@code other}'s, both holding (for lists: each side's list, if any). */
  public SearchFilters and(SearchFilters other) {
    Map<String, String> attrs = new LinkedHashMap<>(attributes);
    attrs.putAll(other.attributes);
    return new SearchFilters(
        other.categories.isEmpty() ? categories : other.categories,
        other.brands.isEmpty() ? brands : other.brands,
        Math.max(minPriceMinor, other.minPriceMinor),
        maxPriceMinor < 0 ? other.maxPriceMinor
            : other.maxPriceMinor < 0 ? maxPriceMinor : Math.min(maxPriceMinor, other.maxPriceMinor),
        inStockOnly || other.inStockOnly,
        attrs);
  }

  /** Filters with only a price range. */
  public static SearchFilters price(long minMinor, long maxMinor) {
    return new SearchFilters(List.of(), List.of(), minMinor, maxMinor, false, Map.of());
  }

  /** Filters with only brands. */
  public static SearchFilters brands(List<String> brands) {
    return new SearchFilters(List.of(), brands, -1, -1, false, Map.of());
  }

  /** Filters with only attributes. */
  public static SearchFilters attributes(Map<String, String> attributes) {
    return new SearchFilters(List.of(), List.of(), -1, -1, false, attributes);
  }
}
