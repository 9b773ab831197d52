package dev.magpie.engine.testing;

import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.knowledge.Knowledge;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A random shop for recommendation tests: a category tree with knowledge relations and an occasion,
 * items with brands, prices, stock, ratings and some vectors, and shoppers' events.
 */
public final class ShoppingCatalog {
  private static final String[] LEAVES = {
    "Sports > Camping > Tents",
    "Sports > Camping > Sleeping Bags",
    "Sports > Footwear > Running",
    "Sports > Footwear > Hiking",
    "Home > Kitchen > Knives",
    "Home > Kitchen > Pans",
    "Electronics > Phones > Smartphones",
    "Electronics > Phones > Cases",
    ""
  };
  private static final String[] BRANDS = {"Acme", "Borealis", "Cirrus", "Dune", "Ember", ""};

  /** Complements and substitutes between the leaves, and a camping occasion. */
  public static final Knowledge KNOWLEDGE =
      new Knowledge(
          List.of(LEAVES[0], LEAVES[1], LEAVES[6], LEAVES[7]),
          List.of(
              new Knowledge.Relation(LEAVES[6], LEAVES[7], "complement", 0.9),
              new Knowledge.Relation(LEAVES[0], LEAVES[1], "complement", 0.7),
              new Knowledge.Relation(LEAVES[2], LEAVES[3], "substitute", 0.6),
              new Knowledge.Relation(LEAVES[4], LEAVES[5], "complement", 0.5)),
          List.of(new Knowledge.Occasion("camping trip", List.of(LEAVES[0], LEAVES[1]))),
          List.of(),
          List.of());

  private ShoppingCatalog() {}

  /**
   * {@code count} items over eight leaf categories (and none), five brands (and none), prices (some
   * unknown), stock, ratings (some unrated); one item in five has an 8-dimensional vector that
   * leans towards its category.
   */
  public static List<Item> items(Random random, int count) {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int leaf = random.nextInt(LEAVES.length);
      float[] vector = new float[8];
      for (int d = 0; d < vector.length; d++) {
        vector[d] = (float) random.nextGaussian() + (d == leaf % 8 ? 2f : 0f);
      }
      items.add(
          new Item(
              "it-" + i,
              "item " + i + " " + LEAVES[leaf],
              "",
              BRANDS[random.nextInt(BRANDS.length)],
              LEAVES[leaf],
              random.nextInt(8) == 0 ? Item.UNKNOWN_PRICE : 500 + random.nextInt(20_000),
              "USD",
              random.nextInt(6) == 0 ? 0 : 5,
              random.nextInt(3) == 0 ? Float.NaN : 1 + random.nextInt(9) / 2f,
              Map.of(),
              i % 5 == 0 ? vector : null));
    }
    return items;
  }

  /** Shoppers view, cart and buy within a few categories; a quarter of the items see nobody. */
  public static Interactions log(Random random, List<Item> items) {
    Interactions.Builder log = new Interactions.Builder(items.size());
    int seen = items.size() * 3 / 4;
    for (int u = 0; u < 150; u++) {
      long t = 1_700_000_000L + u * 5_000L;
      int focus = random.nextInt(seen);
      for (int e = 0, events = 2 + random.nextInt(14); e < events; e++) {
        int item =
            random.nextInt(3) == 0 ? random.nextInt(seen) : (focus + random.nextInt(40)) % seen;
        EventType type =
            switch (random.nextInt(6)) {
              case 0 -> EventType.BUY;
              case 1 -> EventType.CART;
              default -> EventType.VIEW;
            };
        log.add("u" + u, item, type, t + e * 600L, 1f);
      }
    }
    return log.build();
  }
}
