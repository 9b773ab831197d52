package dev.magpie.engine.search;

import dev.magpie.engine.InvalidRequestException;
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
  public static final SearchFilters NONE =
      new SearchFilters(List.of(), List.of(), -1, -1, false, Map.of());

  /** Copies the collections and checks the price bounds. */
  public SearchFilters {
    categories = List.copyOf(categories);
    brands = List.copyOf(brands);
    attributes = Map.copyOf(attributes);
    if (minPriceMinor < -1 || maxPriceMinor < -1) {
      throw new InvalidRequestException(
          "price",
          "bounds must be -1 (none) or at least 0, got " + minPriceMinor + " and " + maxPriceMinor);
    }
    if (minPriceMinor >= 0 && maxPriceMinor >= 0 && minPriceMinor > maxPriceMinor) {
      throw new InvalidRequestException(
          "price", "minimum " + minPriceMinor + " is above maximum " + maxPriceMinor);
    }
  }

  /** Whether nothing is restricted. */
  public boolean isEmpty() {
    return categories.isEmpty()
        && brands.isEmpty()
        && minPriceMinor < 0
        && maxPriceMinor < 0
        && !inStockOnly
        && attributes.isEmpty();
  }

  /**
   * These filters (the caller's) narrowed by what query understanding read in the text, the caller
   * winning every conflict: a category from the text applies only when the caller gave none; brands
   * from the text narrow the caller's brands to those in both lists, or are dropped when none is; a
   * price bound from the text narrows the caller's range unless it would empty it; attributes the
   * caller set keep the caller's value. Each constraint dropped is noted in {@code notes}.
   */
  SearchFilters refinedBy(SearchFilters understood, List<String> notes) {
    List<String> cats = categories;
    if (!understood.categories.isEmpty()) {
      if (categories.isEmpty()) {
        cats = understood.categories;
      } else {
        notes.add(
            "kept the request's category filter over "
                + understood.categories
                + " read in the query");
      }
    }
    List<String> brandList = brands;
    if (!understood.brands.isEmpty()) {
      if (brands.isEmpty()) {
        brandList = understood.brands;
      } else {
        List<String> both =
            brands.stream()
                .filter(
                    b ->
                        understood.brands.stream()
                            .anyMatch(
                                u ->
                                    CatalogVocabulary.normalize(u)
                                        .equals(CatalogVocabulary.normalize(b))))
                .toList();
        if (both.isEmpty()) {
          notes.add(
              "kept the request's brand filter over " + understood.brands + " read in the query");
        } else {
          brandList = both;
        }
      }
    }
    long min = Math.max(minPriceMinor, understood.minPriceMinor);
    long max =
        maxPriceMinor < 0
            ? understood.maxPriceMinor
            : understood.maxPriceMinor < 0
                ? maxPriceMinor
                : Math.min(maxPriceMinor, understood.maxPriceMinor);
    if (min >= 0 && max >= 0 && min > max) {
      notes.add(
          "kept the request's price range over the one read in the query: together they exclude every price");
      min = minPriceMinor;
      max = maxPriceMinor;
    }
    Map<String, String> attrs = new LinkedHashMap<>(understood.attributes);
    attrs.putAll(attributes);
    return new SearchFilters(
        cats, brandList, min, max, inStockOnly || understood.inStockOnly, attrs);
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
