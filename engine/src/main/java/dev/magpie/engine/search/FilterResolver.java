package dev.magpie.engine.search;

import dev.magpie.engine.snapshot.ItemStore;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Turns {@link SearchFilters} into a per-item test over one catalog, for callers that score items
 * they found themselves (recommendation channels) rather than through an index. Brands and
 * categories are matched as the searchers match them (case-insensitive names, a category and its
 * subtree); attributes by comparing the item's values, case-insensitively. Thread-safe.
 */
public final class FilterResolver {
  private final CatalogVocabulary vocabulary;

  /** A resolver over {@code items}'s catalog (its brands as the snapshot has them). */
  public FilterResolver(ItemStore items) {
    this.vocabulary = new CatalogVocabulary(items);
  }

  /**
   * The test for {@code filters} over the epoch {@code items}; values the catalog does not know are
   * noted in {@code notes} and match nothing.
   */
  public IntPredicate resolve(ItemStore items, SearchFilters filters, List<String> notes) {
    ItemFilter columns = ItemFilter.of(items, filters, vocabulary, notes);
    Map<String, String> wanted = new HashMap<>();
    filters.attributes().forEach((name, value) -> wanted.put(name, normalize(value)));
    if (wanted.isEmpty()) {
      return columns == null ? ordinal -> true : columns::accepts;
    }
    return ordinal ->
        (columns == null || columns.accepts(ordinal)) && hasAttributes(items, ordinal, wanted);
  }

  private static String normalize(String value) {
    return value.strip().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether the item has every wanted attribute (names case-insensitive, values already
   * normalised).
   */
  private static boolean hasAttributes(ItemStore items, int ordinal, Map<String, String> wanted) {
    Map<String, String> has = items.attributes(ordinal);
    for (Map.Entry<String, String> w : wanted.entrySet()) {
      String value = null;
      for (Map.Entry<String, String> h : has.entrySet()) {
        if (h.getKey().equalsIgnoreCase(w.getKey())) {
          value = h.getValue();
          break;
        }
      }
      if (value == null || !normalize(value).equals(w.getValue())) {
        return false;
      }
    }
    return true;
  }
}
