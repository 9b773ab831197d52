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
 * larger arrays, and then publishes them as a new {@link State}; a reader reads through the state
 * its epoch pinned ({@link ItemStore}), so it sees the rows of that epoch and no later one. A row
 * is never written after its state was published: later changes of its sale facts go to the {@link
 * SaleOverlay}.
 */
final class AppendedItems {
  /**
   * The rows: heap items (text, attributes, vector) and their sale facts as added, {@code count} in
   * use.
   */
  record State(
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

  /** The rows appended so far, as the next epoch will pin them. */
  State state() {
    return state;
  }

  /** The first ordinal of an appended row. */
  int first() {
    return first;
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

  /** The name of brand {@code brandOrdinal} (at least {@code firstBrand}) in {@code s}. */
  String brandName(State s, int brandOrdinal) {
    return s.newBrands[brandOrdinal - firstBrand];
  }

  Item item(State s, int ordinal) {
    return s.items[ordinal - first];
  }

  long price(State s, int ordinal) {
    return s.price[ordinal - first];
  }

  short currency(State s, int ordinal) {
    return s.currency[ordinal - first];
  }

  int stock(State s, int ordinal) {
    return s.stock[ordinal - first];
  }

  byte flags(State s, int ordinal) {
    return s.flags[ordinal - first];
  }

  int brand(State s, int ordinal) {
    return s.brand[ordinal - first];
  }

  int category(State s, int ordinal) {
    return s.category[ordinal - first];
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
}
