package dev.magpie.engine.agent;

import dev.magpie.engine.InvalidRequestException;
import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.catalog.Money;
import dev.magpie.engine.recommend.ShopperProfile;
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
import java.util.function.Function;
import java.util.function.ToLongFunction;

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
    List<ComparedItem> compared =
        resolve(
            ids,
            id -> {
              int o = items.ordinalOf(id);
              return o < 0 ? null : ComparedItem.of(items, o, behaviour);
            });
    return compare(
        compared, user == null || profiles == null ? null : profiles.shopperProfile(items, user));
  }

  /**
   * The items {@code ids} (2 to {@value #MAX_ITEMS}, distinct) as {@code lookup} finds them (null:
   * no such item).
   *
   * @throws InvalidRequestException naming the field and value ("ids[2]: no item 'x' in the
   *     catalog")
   */
  public static List<ComparedItem> resolve(
      List<String> ids, Function<String, ComparedItem> lookup) {
    checkCount(ids);
    List<ComparedItem> out = new ArrayList<>(ids.size());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      ComparedItem item = lookup.apply(id);
      if (item == null) {
        throw new InvalidRequestException("ids[" + i + "]", "no item '" + id + "' in the catalog");
      }
      if (!seen.add(id)) {
        throw new InvalidRequestException("ids[" + i + "]", "'" + id + "' is listed twice");
      }
      out.add(item);
    }
    return out;
  }

  /**
   * Checks that {@code ids} names 2 to {@value #MAX_ITEMS} items.
   *
   * @throws InvalidRequestException naming the count
   */
  public static void checkCount(List<String> ids) {
    if (ids.size() < 2 || ids.size() > MAX_ITEMS) {
      throw new InvalidRequestException(
          "ids", "give 2 to " + MAX_ITEMS + " items to compare, got " + ids.size());
    }
  }

  /**
   * Compares {@code items} (from {@link #resolve}), for {@code shopper} when not null: the same
   * answer wherever the items' facts come from.
   */
  public static Comparison compare(List<ComparedItem> items, ShopperProfile shopper) {
    int n = items.size();
    List<Map<String, String>> attributes = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (ComparedItem c : items) {
      attributes.add(c.attributes());
      names.addAll(c.attributes().keySet());
    }
    List<Comparison.Row> rows = rows(items, attributes, names);
    List<String> differences = new ArrayList<>();
    List<List<String>> suits = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      suits.add(new ArrayList<>());
    }
    comparePrices(items, differences, suits);
    compareRatings(items, differences, suits);
    comparePopularity(items, differences, suits);
    compareAttributes(items, names, rows, differences, suits);
    compareStock(items, differences);
    if (shopper != null) {
      fitShopper(items, shopper, suits);
    }
    for (int i = 0; i < n; i++) {
      if (suits.get(i).isEmpty()) {
        suits
            .get(i)
            .add(
                "shoppers after "
                    + leaf(items.get(i).categoryPath())
                    + " with nothing above to set it apart");
      }
    }
    return new Comparison(items.stream().map(ComparedItem::id).toList(), rows, differences, suits);
  }

  private static List<Comparison.Row> rows(
      List<ComparedItem> items, List<Map<String, String>> attributes, Set<String> names) {
    List<Comparison.Row> rows = new ArrayList<>();
    rows.add(row("price", items, c -> Money.format(c.priceMinor(), c.currency())));
    rows.add(row("brand", items, c -> orDash(c.brand())));
    rows.add(row("category", items, c -> orDash(c.categoryPath())));
    rows.add(
        row(
            "rating",
            items,
            c -> Float.isNaN(c.rating()) ? "-" : String.format(Locale.ROOT, "%.1f", c.rating())));
    rows.add(
        row(
            "stock",
            items,
            c ->
                c.stock() == Item.UNKNOWN_STOCK
                    ? "-"
                    : c.stock() == 0 ? "out of stock" : Integer.toString(c.stock())));
    for (String name : names) {
      List<String> values = new ArrayList<>();
      attributes.forEach(a -> values.add(a.getOrDefault(name, "-")));
      rows.add(new Comparison.Row(name, values, new HashSet<>(values).size() > 1));
    }
    if (items.stream().allMatch(c -> c.buys() >= 0)) {
      rows.add(row("bought", items, c -> Integer.toString(c.buys())));
      rows.add(row("viewed", items, c -> Integer.toString(c.views())));
    }
    return rows;
  }

  private static Comparison.Row row(
      String name, List<ComparedItem> items, Function<ComparedItem, String> value) {
    List<String> values = new ArrayList<>();
    for (ComparedItem c : items) {
      values.add(value.apply(c));
    }
    return new Comparison.Row(name, values, new HashSet<>(values).size() > 1);
  }

  private static void comparePrices(
      List<ComparedItem> items, List<String> differences, List<List<String>> suits) {
    int cheapest = -1;
    int dearest = -1;
    String currency = null;
    for (int i = 0; i < items.size(); i++) {
      long p = items.get(i).priceMinor();
      if (p == Item.UNKNOWN_PRICE
          || (currency != null && !currency.equals(items.get(i).currency()))) {
        return; // not comparable
      }
      currency = items.get(i).currency();
      if (cheapest < 0 || p < items.get(cheapest).priceMinor()) {
        cheapest = i;
      }
      if (dearest < 0 || p > items.get(dearest).priceMinor()) {
        dearest = i;
      }
    }
    long low = items.get(cheapest).priceMinor();
    long high = items.get(dearest).priceMinor();
    if (high == 0
        || (double) (high - low) / high < PRICE_GAP
        || !unique(items, cheapest, ComparedItem::priceMinor)) {
      differences.add("prices are within " + Math.round(PRICE_GAP * 100) + "% of each other");
      return;
    }
    differences.add(
        String.format(
            Locale.ROOT,
            "%s is %s (%.0f%%) cheaper than %s",
            name(items.get(cheapest)),
            Money.format(high - low, currency),
            100.0 * (high - low) / high,
            name(items.get(dearest))));
    suits
        .get(cheapest)
        .add("the budget-minded: the lowest price here (" + Money.format(low, currency) + ")");
  }

  private static void compareRatings(
      List<ComparedItem> items, List<String> differences, List<List<String>> suits) {
    int best = -1;
    float worst = Float.MAX_VALUE;
    for (int i = 0; i < items.size(); i++) {
      float r = items.get(i).rating();
      if (Float.isNaN(r)) {
        return;
      }
      if (best < 0 || r > items.get(best).rating()) {
        best = i;
      }
      worst = Math.min(worst, r);
    }
    float top = items.get(best).rating();
    if (top - worst >= RATING_GAP && unique(items, best, c -> Math.round(c.rating() * 10))) {
      differences.add(
          String.format(
              Locale.ROOT,
              "%s is rated %.1f stars, the lowest-rated here %.1f",
              name(items.get(best)),
              top,
              worst));
      suits
          .get(best)
          .add(String.format(Locale.ROOT, "those who want the best-rated here (%.1f stars)", top));
    }
  }

  private static void comparePopularity(
      List<ComparedItem> items, List<String> differences, List<List<String>> suits) {
    if (!items.stream().allMatch(c -> c.buys() >= 0)) {
      return;
    }
    int most = 0;
    int fewest = Integer.MAX_VALUE;
    for (int i = 0; i < items.size(); i++) {
      int b = items.get(i).buys();
      if (b > items.get(most).buys()) {
        most = i;
      }
      fewest = Math.min(fewest, b);
    }
    int top = items.get(most).buys();
    if (top >= MIN_BUYS && top >= 2L * fewest && unique(items, most, ComparedItem::buys)) {
      differences.add(
          fewest == 0
              ? name(items.get(most)) + " was bought " + top + " times, another never"
              : String.format(
                  Locale.ROOT,
                  "%s is bought %.1fx as often as the least bought here",
                  name(items.get(most)),
                  (double) top / fewest));
      suits.get(most).add("a safe choice: bought most often here (" + top + " purchases)");
    }
  }

  private static void compareAttributes(
      List<ComparedItem> items,
      Set<String> names,
      List<Comparison.Row> rows,
      List<String> differences,
      List<List<String>> suits) {
    Comparison.Row brand = rows.get(1);
    if (brand.differs()) {
      differences.add("brand: " + joined(items, brand.values()));
    }
    for (Comparison.Row row : rows) {
      if (!row.differs() || !names.contains(row.name())) {
        continue;
      }
      differences.add(row.name() + ": " + joined(items, row.values()));
      for (int i = 0; i < items.size(); i++) {
        String value = row.values().get(i);
        if (!value.equals("-")
            && row.values().indexOf(value) == row.values().lastIndexOf(value)
            && suits.get(i).size() < 4) {
          suits.get(i).add("those who want " + row.name() + " " + value);
        }
      }
    }
  }

  private static void compareStock(List<ComparedItem> items, List<String> differences) {
    for (ComparedItem c : items) {
      if (c.stock() == 0) {
        differences.add(name(c) + " is out of stock");
      }
    }
  }

  private static void fitShopper(
      List<ComparedItem> items, ShopperProfile profile, List<List<String>> suits) {
    if (profile.events() == 0) {
      return;
    }
    for (int i = 0; i < items.size(); i++) {
      String brand = items.get(i).brand();
      if (!brand.isEmpty() && profile.brandAffinity().getIfAbsent(brand, 0f) >= 0.5f) {
        suits.get(i).add("you: a brand you often choose (" + brand + ")");
      }
      long price = items.get(i).priceMinor();
      long usual = profile.typicalPriceMinor();
      if (usual > 0 && price != Item.UNKNOWN_PRICE && Math.abs(price - usual) <= usual / 4) {
        suits
            .get(i)
            .add(
                "you: close to what you usually spend ("
                    + Money.format(usual, items.get(i).currency())
                    + ")");
      }
    }
  }

  private static boolean unique(
      List<ComparedItem> items, int at, ToLongFunction<ComparedItem> value) {
    long v = value.applyAsLong(items.get(at));
    for (int i = 0; i < items.size(); i++) {
      if (i != at && value.applyAsLong(items.get(i)) == v) {
        return false;
      }
    }
    return true;
  }

  private static String joined(List<ComparedItem> items, List<String> values) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      parts.add(values.get(i) + " (" + name(items.get(i)) + ")");
    }
    return String.join(" vs ", parts);
  }

  /** How an item is named in sentences: its id and the start of its title. */
  private static String name(ComparedItem item) {
    String title = item.title();
    return "'" + (title.length() <= 40 ? title : title.substring(0, 39) + "…") + "'";
  }

  private static String orDash(String s) {
    return s.isEmpty() ? "-" : s;
  }

  private static String leaf(String path) {
    if (path.isEmpty()) {
      return "items like these";
    }
    int cut = path.lastIndexOf(Item.CATEGORY_SEPARATOR);
    return (cut < 0 ? path : path.substring(cut + Item.CATEGORY_SEPARATOR.length()))
        .toLowerCase(Locale.ROOT);
  }
}
