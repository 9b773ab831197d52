package dev.magpie.engine.snapshot;

import dev.magpie.engine.catalog.Item;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Items added live since the snapshot was built, on the heap until the next snapshot folds them in.
 * They take the ordinals after the snapshot's ({@code first}, {@code first + 1}, ...), so every
 * structure keyed by ordinal can tell them apart with one comparison. New brands get brand ordinals
 * after the snapshot's brands the same way; categories and currencies must be the snapshot's.
 *
 * <p>One writer (the live layer's), any number of readers. The writer fills a new row, or new
 * larger arrays, and then publishes them with one volatile write of {@link State}; a reader reads
 * the state once and sees complete rows. Sale facts of a row already published (price, stock,
 * flags) are plain stores, made visible by the writer's next volatile write, like the snapshot's
 * own live columns.
 */
final class AppendedItems {
  /** The rows: heap items (text, attributes, vector) and their sale facts, {@code count} in use. */
  private record State(
      int count,
      Item[] items,
      long[] price,
      short[] currency,
      int[] stock,
      byte[] flags,
      int[] brand,
      int[] category,
      String[] newBrands,
      int newBrandCount) {}

  private final int first;
  private final int firstBrand;
  private final ConcurrentHashMap<String, Integer> ordinals = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Integer> brandOrdinals = new ConcurrentHashMap<>();
  private volatile State state;

  /** Rows from ordinal {@code first}, new brands from brand ordinal {@code firstBrand}. */
  AppendedItems(int first, int firstBrand) {
    this.first = first;
    this.firstBrand = firstBrand;
    this.state =
        new State(
            0,
            new Item[0],
            new long[0],
            new short[0],
            new int[0],
            new byte[0],
            new int[0],
            new int[0],
            new String[0],
            0);
  }

  /** Items appended so far. */
  int count() {
    return state.count;
  }

  /** The ordinal of the appended item with id {@code externalId}, or -1. */
  int ordinalOf(String externalId) {
    Integer ordinal = ordinals.get(externalId);
    return ordinal == null ? -1 : ordinal;
  }

  /** The ordinal of brand {@code name} when it came with an appended item, or -1. */
  int brandOrdinalOf(String name) {
    Integer ordinal = brandOrdinals.get(name);
    return ordinal == null ? -1 : ordinal;
  }

  /** New brands so far. */
  int brandCount() {
    return state.newBrandCount;
  }

  /** The name of brand {@code brandOrdinal} (at least {@code firstBrand}). */
  String brandName(int brandOrdinal) {
    return state.newBrands[brandOrdinal - firstBrand];
  }

  Item item(int ordinal) {
    return state.items[ordinal - first];
  }

  long price(int ordinal) {
    return state.price[ordinal - first];
  }

  short currency(int ordinal) {
    return state.currency[ordinal - first];
  }

  int stock(int ordinal) {
    return state.stock[ordinal - first];
  }

  byte flags(int ordinal) {
    return state.flags[ordinal - first];
  }

  int brand(int ordinal) {
    return state.brand[ordinal - first];
  }

  int category(int ordinal) {
    return state.category[ordinal - first];
  }

  /**
   * Appends {@code item} (its sale facts already resolved to dictionary ordinals) and returns its
   * ordinal. Writer only.
   *
   * @param brandOrdinal the snapshot's ordinal of the item's brand, or -1: a new brand (or none)
   */
  int append(Item item, int brandOrdinal, int categoryOrdinal, short currencyOrdinal, byte flags) {
    State s = state;
    String[] newBrands = s.newBrands;
    int newBrandCount = s.newBrandCount;
    int brand = brandOrdinal;
    if (brand < 0 && !item.brand().isEmpty()) {
      brand = brandOrdinalOf(item.brand());
      if (brand < 0) {
        if (newBrandCount == newBrands.length) {
          newBrands = Arrays.copyOf(newBrands, Math.max(8, newBrandCount * 2));
        }
        brand = firstBrand + newBrandCount;
        newBrands[newBrandCount++] = item.brand();
      }
    }
    int row = s.count;
    if (row == s.items.length) {
      int capacity = Math.max(16, row * 2);
      s =
          new State(
              row,
              Arrays.copyOf(s.items, capacity),
              Arrays.copyOf(s.price, capacity),
              Arrays.copyOf(s.currency, capacity),
              Arrays.copyOf(s.stock, capacity),
              Arrays.copyOf(s.flags, capacity),
              Arrays.copyOf(s.brand, capacity),
              Arrays.copyOf(s.category, capacity),
              newBrands,
              newBrandCount);
    }
    s.items[row] = item;
    s.price[row] = item.priceMinor();
    s.currency[row] = currencyOrdinal;
    s.stock[row] = item.stock();
    s.flags[row] = flags;
    s.brand[row] = brand;
    s.category[row] = categoryOrdinal;
    state =
        new State(
            row + 1,
            s.items,
            s.price,
            s.currency,
            s.stock,
            s.flags,
            s.brand,
            s.category,
            newBrands,
            newBrandCount);
    if (brand >= firstBrand) {
      brandOrdinals.putIfAbsent(item.brand(), brand);
    }
    ordinals.put(item.externalId(), first + row);
    return first + row;
  }

  // Sale facts of published rows: plain stores, see the class comment.

  void setPrice(int ordinal, long minor, short currencyOrdinal) {
    State s = state;
    s.currency[ordinal - first] = currencyOrdinal;
    s.price[ordinal - first] = minor;
  }

  void setStock(int ordinal, int units) {
    state.stock[ordinal - first] = units;
  }

  void setFlags(int ordinal, byte flags) {
    state.flags[ordinal - first] = flags;
  }
}
