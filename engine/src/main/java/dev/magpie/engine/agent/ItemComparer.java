package dev.magpie.engine.agent;

import dev.magpie.engine.InvalidRequestException;
import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.catalog.Money;
import dev.magpie.engine.recommend.UserProfile;
import dev.magpie.engine.recommend.UserProfiles;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;

/**
 * Compares items for a shopper or an agent: an aligned table (price, brand, category, rating,
 * stock, every attribute any of them has, and what shoppers did with each), the differences that
 * matter in words, and who each item suits, from the catalog, behaviour and, when a shopper is
 * named, their profile. Reads live columns, so updated prices and stock show. Thread-safe.
 */
public final class ItemComparer {
  /** Most items one comparison takes. */
  public static final int MAX_ITEMS = 10;

  /** Least relative price gap called a difference. */
  static final double PRICE_GAP = 0.05;

  /** Least rating gap called a difference. */
  static final float RATING_GAP = 0.2f;

  /** Least purchases for "bought most often" to mean something. */
  static final int MIN_BUYS = 3;

  private final Snapshot snapshot;
  private final BehaviourModel behaviour;
  private final UserProfiles profiles;

  /** Compares items of {@code snapshot}, with shoppers' profiles from {@code profiles}. */
  public ItemComparer(Snapshot snapshot, UserProfiles profiles) {
    this.snapshot = snapshot;
    this.behaviour = snapshot.behaviour();
    this.profiles = profiles;
  }

  /**
   * Compares the items {@code ids} (2 to {@value #MAX_ITEMS}, distinct), for {@code user} when not
   * null.
   *
   * @throws IllegalArgumentException naming the field and value ("ids[2]: no item 'x' in the
   *     catalog")
   */
  public Comparison compare(List<String> ids, String user) {
    return compare(snapshot.items(), ids, user);
  }

  /** As {@link #compare(List, String)}, over the epoch {@code items} (a view's). */
  public Comparison compare(ItemStore items, List<String> ids, String user) {
    if (ids.size() < 2 || ids.size() > MAX_ITEMS) {
      throw new InvalidRequestException(
          "ids", "give 2 to " + MAX_ITEMS + " items to compare, got " + ids.size());
    }
    int n = ids.size();
    int[] ords = new int[n];
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      String id = ids.get(i);
      ords[i] = items.ordinalOf(id);
      if (ords[i] < 0) {
        throw new InvalidRequestException("ids[" + i + "]", "no item '" + id + "' in the catalog");
      }
      if (!seen.add(id)) {
        throw new InvalidRequestException("ids[" + i + "]", "'" + id + "' is listed twice");
      }
    }
    List<Map<String, String>> attributes = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (int o : ords) {
      attributes.add(items.attributes(o));
      names.addAll(attributes.getLast().keySet());
    }
    List<Comparison.Row> rows = rows(items, ords, attributes, names);
    List<String> differences = new ArrayList<>();
    List<List<String>> suits = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      suits.add(new ArrayList<>());
    }
    comparePrices(items, ords, differences, suits);
    compareRatings(items, ords, differences, suits);
    comparePopularity(items, ords, differences, suits);
    compareAttributes(items, ords, names, rows, differences, suits);
    compareStock(items, ords, differences);
    if (user != null && profiles != null) {
      fitShopper(items, ords, profiles.profile(items, user), suits);
    }
    for (int i = 0; i < n; i++) {
      if (suits.get(i).isEmpty()) {
        suits
            .get(i)
            .add(
                "shoppers after "
                    + leaf(items, items.categoryPath(ords[i]))
                    + " with nothing above to set it apart");
      }
    }
    return new Comparison(ords, rows, differences, suits);
  }

  private List<Comparison.Row> rows(
      ItemStore items, int[] ords, List<Map<String, String>> attributes, Set<String> names) {
    List<Comparison.Row> rows = new ArrayList<>();
    rows.add(row("price", ords, o -> Money.format(items.priceMinor(o), items.currency(o))));
    rows.add(row("brand", ords, o -> orDash(items.brand(o))));
    rows.add(row("category", ords, o -> orDash(items.categoryPath(o))));
    rows.add(
        row(
            "rating",
            ords,
            o ->
                Float.isNaN(items.rating(o))
                    ? "-"
                    : String.format(Locale.ROOT, "%.1f", items.rating(o))));
    rows.add(
        row(
            "stock",
            ords,
            o ->
                items.stock(o) == Item.UNKNOWN_STOCK
                    ? "-"
                    : items.stock(o) == 0 ? "out of stock" : Integer.toString(items.stock(o))));
    for (String name : names) {
      List<String> values = new ArrayList<>();
      attributes.forEach(a -> values.add(a.getOrDefault(name, "-")));
      rows.add(new Comparison.Row(name, values, new HashSet<>(values).size() > 1));
    }
    if (behaviour != null) {
      rows.add(row("bought", ords, o -> Integer.toString(behaviour.stats().buys(o))));
      rows.add(row("viewed", ords, o -> Integer.toString(behaviour.stats().views(o))));
    }
    return rows;
  }

  private static Comparison.Row row(String name, int[] ords, IntFunction<String> value) {
    List<String> values = new ArrayList<>();
    for (int o : ords) {
      values.add(value.apply(o));
    }
    return new Comparison.Row(name, values, new HashSet<>(values).size() > 1);
  }

  private void comparePrices(
      ItemStore items, int[] ords, List<String> differences, List<List<String>> suits) {
    int cheapest = -1;
    int dearest = -1;
    String currency = null;
    for (int i = 0; i < ords.length; i++) {
      long p = items.priceMinor(ords[i]);
      if (p == Item.UNKNOWN_PRICE
          || (currency != null && !currency.equals(items.currency(ords[i])))) {
        return; // not comparable
      }
      currency = items.currency(ords[i]);
      if (cheapest < 0 || p < items.priceMinor(ords[cheapest])) {
        cheapest = i;
      }
      if (dearest < 0 || p > items.priceMinor(ords[dearest])) {
        dearest = i;
      }
    }
    long low = items.priceMinor(ords[cheapest]);
    long high = items.priceMinor(ords[dearest]);
    if (high == 0
        || (double) (high - low) / high < PRICE_GAP
        || !unique(ords, cheapest, o -> items.priceMinor(o))) {
      differences.add("prices are within " + Math.round(PRICE_GAP * 100) + "% of each other");
      return;
    }
    differences.add(
        String.format(
            Locale.ROOT,
            "%s is %s (%.0f%%) cheaper than %s",
            name(items, ords[cheapest]),
            Money.format(high - low, currency),
            100.0 * (high - low) / high,
            name(items, ords[dearest])));
    suits
        .get(cheapest)
        .add("the budget-minded: the lowest price here (" + Money.format(low, currency) + ")");
  }

  private void compareRatings(
      ItemStore items, int[] ords, List<String> differences, List<List<String>> suits) {
    int best = -1;
    float worst = Float.MAX_VALUE;
    for (int i = 0; i < ords.length; i++) {
      float r = items.rating(ords[i]);
      if (Float.isNaN(r)) {
        return;
      }
      if (best < 0 || r > items.rating(ords[best])) {
        best = i;
      }
      worst = Math.min(worst, r);
    }
    float top = items.rating(ords[best]);
    if (top - worst >= RATING_GAP && unique(ords, best, o -> Math.round(items.rating(o) * 10))) {
      differences.add(
          String.format(
              Locale.ROOT,
              "%s is rated %.1f stars, the lowest-rated here %.1f",
              name(items, ords[best]),
              top,
              worst));
      suits
          .get(best)
          .add(String.format(Locale.ROOT, "those who want the best-rated here (%.1f stars)", top));
    }
  }

  private void comparePopularity(
      ItemStore items, int[] ords, List<String> differences, List<List<String>> suits) {
    if (behaviour == null) {
      return;
    }
    int most = 0;
    int fewest = Integer.MAX_VALUE;
    for (int i = 0; i < ords.length; i++) {
      int b = behaviour.stats().buys(ords[i]);
      if (b > behaviour.stats().buys(ords[most])) {
        most = i;
      }
      fewest = Math.min(fewest, b);
    }
    int top = behaviour.stats().buys(ords[most]);
    if (top >= MIN_BUYS
        && top >= 2L * fewest
        && unique(ords, most, o -> behaviour.stats().buys(o))) {
      differences.add(
          fewest == 0
              ? name(items, ords[most]) + " was bought " + top + " times, another never"
              : String.format(
                  Locale.ROOT,
                  "%s is bought %.1fx as often as the least bought here",
                  name(items, ords[most]),
                  (double) top / fewest));
      suits.get(most).add("a safe choice: bought most often here (" + top + " purchases)");
    }
  }

  private void compareAttributes(
      ItemStore items,
      int[] ords,
      Set<String> names,
      List<Comparison.Row> rows,
      List<String> differences,
      List<List<String>> suits) {
    Comparison.Row brand = rows.get(1);
    if (brand.differs()) {
      differences.add("brand: " + joined(items, ords, brand.values()));
    }
    for (Comparison.Row row : rows) {
      if (!row.differs() || !names.contains(row.name())) {
        continue;
      }
      differences.add(row.name() + ": " + joined(items, ords, row.values()));
      for (int i = 0; i < ords.length; i++) {
        String value = row.values().get(i);
        if (!value.equals("-")
            && row.values().indexOf(value) == row.values().lastIndexOf(value)
            && suits.get(i).size() < 4) {
          suits.get(i).add("those who want " + row.name() + " " + value);
        }
      }
    }
  }

  private void compareStock(ItemStore items, int[] ords, List<String> differences) {
    for (int o : ords) {
      if (items.stock(o) == 0) {
        differences.add(name(items, o) + " is out of stock");
      }
    }
  }

  private void fitShopper(
      ItemStore items, int[] ords, UserProfile profile, List<List<String>> suits) {
    if (profile.isEmpty()) {
      return;
    }
    for (int i = 0; i < ords.length; i++) {
      int brand = items.brandOrdinal(ords[i]);
      if (brand >= 0 && profile.brandAffinity().get(brand) >= 0.5f) {
        suits.get(i).add("you: a brand you often choose (" + items.brand(ords[i]) + ")");
      }
      long price = items.priceMinor(ords[i]);
      long usual = profile.typicalPriceMinor();
      if (usual > 0 && price != Item.UNKNOWN_PRICE && Math.abs(price - usual) <= usual / 4) {
        suits
            .get(i)
            .add(
                "you: close to what you usually spend ("
                    + Money.format(usual, items.currency(ords[i]))
                    + ")");
      }
    }
  }

  private boolean unique(int[] ords, int at, IntToLongFunction value) {
    long v = value.applyAsLong(ords[at]);
    for (int i = 0; i < ords.length; i++) {
      if (i != at && value.applyAsLong(ords[i]) == v) {
        return false;
      }
    }
    return true;
  }

  private String joined(ItemStore items, int[] ords, List<String> values) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < ords.length; i++) {
      parts.add(values.get(i) + " (" + name(items, ords[i]) + ")");
    }
    return String.join(" vs ", parts);
  }

  /** How an item is named in sentences: its id and the start of its title. */
  private String name(ItemStore items, int ordinal) {
    String title = items.title(ordinal);
    return "'" + (title.length() <= 40 ? title : title.substring(0, 39) + "…") + "'";
  }

  private static String orDash(String s) {
    return s.isEmpty() ? "-" : s;
  }

  private static String leaf(ItemStore items, String path) {
    if (path.isEmpty()) {
      return "items like these";
    }
    int cut = path.lastIndexOf(Item.CATEGORY_SEPARATOR);
    return (cut < 0 ? path : path.substring(cut + Item.CATEGORY_SEPARATOR.length()))
        .toLowerCase(Locale.ROOT);
  }
}
