package dev.magpie.engine.search;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.snapshot.ItemFlags;
import dev.magpie.engine.snapshot.ItemStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.util.FixedBitSet;

/**
 * The column part of {@link SearchFilters}, resolved against one snapshot: allowed brand and
 * category ordinals as bit sets (a category filter allows the whole subtree), and the price and
 * stock bounds. {@link #accepts(int)} reads the item's off-heap columns, so it sees live price and
 * stock values, never a copy taken at index time, and refuses withdrawn items (so while any item is
 * withdrawn there is always a filter). Immutable and thread-safe.
 */
final class ItemFilter {
  private final ItemStore items;
  private final FixedBitSet brands;
  private final FixedBitSet categories;
  private final long minPrice;
  private final long maxPrice;
  private final boolean inStockOnly;

  /** Whether any item was withdrawn when the filter was made (else no flag need be read). */
  private final boolean anyWithdrawn;

  private ItemFilter(
      ItemStore items,
      FixedBitSet brands,
      FixedBitSet categories,
      long minPrice,
      long maxPrice,
      boolean inStockOnly) {
    this.items = items;
    this.brands = brands;
    this.categories = categories;
    this.minPrice = minPrice;
    this.maxPrice = maxPrice;
    this.inStockOnly = inStockOnly;
    this.anyWithdrawn = items.withdrawnCount() > 0;
  }

  /**
   * Resolves {@code filters}; values the catalog does not know are noted in {@code notes} and match
   * nothing. Returns null when the filters place no column restriction.
   */
  static ItemFilter of(
      ItemStore items, SearchFilters filters, CatalogVocabulary vocabulary, List<String> notes) {
    FixedBitSet brandBits = null;
    if (!filters.brands().isEmpty()) {
      brandBits = new FixedBitSet(Math.max(1, items.brandCount()));
      for (String brand : filters.brands()) {
        List<Integer> ordinals = vocabulary.brandOrdinals(items, brand);
        if (ordinals.isEmpty()) {
          notes.add("no brand '" + brand + "' in the catalog");
        }
        ordinals.forEach(brandBits::set);
      }
    }
    FixedBitSet categoryBits = null;
    if (!filters.categories().isEmpty()) {
      List<Integer> roots = new ArrayList<>();
      for (String category : filters.categories()) {
        List<Integer> found = vocabulary.categoryOrdinals(category);
        if (found.isEmpty()) {
          notes.add("no category '" + category + "' in the catalog");
        }
        roots.addAll(found);
      }
      categoryBits = subtrees(items, roots);
    }
    boolean price = filters.minPriceMinor() >= 0 || filters.maxPriceMinor() >= 0;
    if (brandBits == null
        && categoryBits == null
        && !price
        && !filters.inStockOnly()
        && items.withdrawnCount() == 0) {
      return null;
    }
    return new ItemFilter(
        items,
        brandBits,
        categoryBits,
        filters.minPriceMinor(),
        filters.maxPriceMinor() < 0 ? Long.MAX_VALUE : filters.maxPriceMinor(),
        filters.inStockOnly());
  }

  /** Every category at or below one of {@code roots}. */
  private static FixedBitSet subtrees(ItemStore items, List<Integer> roots) {
    int count = items.categoryCount();
    FixedBitSet wanted = new FixedBitSet(Math.max(1, count));
    if (roots.isEmpty()) {
      return wanted;
    }
    FixedBitSet rootBits = new FixedBitSet(Math.max(1, count));
    roots.forEach(rootBits::set);
    for (int c = 0; c < count; c++) {
      for (int a = c; a >= 0; a = items.categoryParent(a)) {
        if (rootBits.get(a)) {
          wanted.set(c);
          break;
        }
      }
    }
    return wanted;
  }

  /** The brands allowed, or null when any is. */
  FixedBitSet brands() {
    return brands;
  }

  /** The categories allowed (whole subtrees), or null when any is. */
  FixedBitSet categories() {
    return categories;
  }

  /** Whether item {@code ordinal} passes, reading its current column values. */
  boolean accepts(int ordinal) {
    if (anyWithdrawn && (items.flags(ordinal) & ItemFlags.WITHDRAWN) != 0) {
      return false;
    }
    if (brands != null) {
      int b = items.brandOrdinal(ordinal);
      if (b < 0 || !brands.get(b)) {
        return false;
      }
    }
    if (categories != null) {
      int c = items.categoryOrdinal(ordinal);
      if (c < 0 || !categories.get(c)) {
        return false;
      }
    }
    if (minPrice >= 0 || maxPrice != Long.MAX_VALUE) {
      long price = items.priceMinor(ordinal);
      if (price == Item.UNKNOWN_PRICE || price < minPrice || price > maxPrice) {
        return false;
      }
    }
    return !inStockOnly || items.stock(ordinal) != 0;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "ItemFilter(brands=%s, categories=%s, price=[%d, %d], inStock=%b)",
        brands == null ? "any" : brands.cardinality(),
        categories == null ? "any" : categories.cardinality(),
        minPrice,
        maxPrice,
        inStockOnly);
  }
}
