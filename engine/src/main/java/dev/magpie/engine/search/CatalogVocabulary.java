package dev.magpie.engine.search;

import dev.magpie.engine.snapshot.ItemStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Case-insensitive names of a snapshot's brands and categories, for filters and query
 * understanding. Built once per snapshot on the heap: there are far fewer brands and categories
 * than items. Brands that came with items added live since are found by filters (a scan of those
 * few) but not recognised in query text until the next snapshot.
 */
final class CatalogVocabulary {
  private final Map<String, List<Integer>> brands = new HashMap<>();
  private final Map<String, List<Integer>> categoryPaths = new HashMap<>();
  private final Map<String, List<Integer>> categoryLeaves = new HashMap<>();
  private final int longestBrandWords;
  private final int knownBrands;

  CatalogVocabulary(ItemStore items) {
    this.knownBrands = items.brandCount();
    int longest = 0;
    for (int b = 0; b < knownBrands; b++) {
      String key = normalize(items.brandName(b));
      brands.computeIfAbsent(key, k -> new ArrayList<>()).add(b);
      longest = Math.max(longest, key.split(" ").length);
    }
    longestBrandWords = longest;
    for (int c = 0; c < items.categoryCount(); c++) {
      String path = items.categoryName(c);
      categoryPaths.computeIfAbsent(normalize(path), k -> new ArrayList<>()).add(c);
      int cut = path.lastIndexOf('>');
      String leaf = cut < 0 ? path : path.substring(cut + 1);
      categoryLeaves.computeIfAbsent(normalize(leaf), k -> new ArrayList<>()).add(c);
    }
  }

  /** Lower case, single spaces, spaces around '>' normalised. */
  static String normalize(String name) {
    String lower = name.strip().toLowerCase(Locale.ROOT);
    return SPACES.matcher(SEPARATOR.matcher(lower).replaceAll(" > ")).replaceAll(" ");
  }

  private static final Pattern SEPARATOR = Pattern.compile("\\s*>\\s*");
  private static final Pattern SPACES = Pattern.compile("\\s+");

  /**
   * Ordinals of the brand called {@code name} (any case) in the epoch {@code current}: the
   * snapshot's, and any that came with items added live up to it.
   */
  List<Integer> brandOrdinals(ItemStore current, String name) {
    String key = normalize(name);
    List<Integer> found = brands.getOrDefault(key, List.of());
    int all = current.brandCount();
    for (int b = knownBrands; b < all; b++) {
      if (normalize(current.brandName(b)).equals(key)) {
        found = new ArrayList<>(found);
        found.add(b);
      }
    }
    return found;
  }

  /** Whether some brand is called {@code name}. */
  boolean isBrand(String name) {
    return brands.containsKey(normalize(name));
  }

  /** The most words a brand name has. */
  int longestBrandWords() {
    return longestBrandWords;
  }

  /**
   * Ordinals of the category with this path, or else of every category whose last level is this
   * name.
   */
  List<Integer> categoryOrdinals(String pathOrName) {
    List<Integer> byPath = categoryPaths.get(normalize(pathOrName));
    return byPath != null ? byPath : categoryLeaves.getOrDefault(normalize(pathOrName), List.of());
  }
}
