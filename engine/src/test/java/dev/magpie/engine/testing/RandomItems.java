package dev.magpie.engine.testing;

import dev.magpie.engine.catalog.CatalogLimits;
import dev.magpie.engine.catalog.Item;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random valid items that lean on edge cases: empty optional fields, unknown price and stock,
 * non-ASCII and astral characters, values at their size limits, deep category paths, many
 * attributes, vectors on some items only.
 */
public final class RandomItems {
  private static final String[] WORDS = {
    "steel",
    "knife",
    "chef's",
    "16oz",
    "1/2 in.",
    "Grüße",
    "café",
    "日本",
    "🦆",
    "\"quoted\"",
    "a,b",
    "tab\there",
    "x",
    "&amp;",
    "running",
    "shoe"
  };
  private static final String[] CURRENCIES = {"USD", "EUR", "JPY", "GBP"};

  private RandomItems() {}

  /** {@code count} items with unique ids; vectors of {@code dimension} on about half (0: none). */
  public static List<Item> items(Random random, int count, int dimension) {
    List<Item> items = new ArrayList<>(count);
    Set<String> ids = new HashSet<>();
    List<String> brands = new ArrayList<>();
    int brandCount = 1 + random.nextInt(20);
    for (int i = 0; i < brandCount; i++) {
      brands.add(text(random, 1 + random.nextInt(3), CatalogLimits.MAX_BRAND_BYTES / 8));
    }
    while (items.size() < count) {
      String id =
          random.nextInt(10) == 0 ? text(random, 1, 60) : Integer.toString(random.nextInt(1 << 30));
      if (id.isBlank()
          || !id.equals(id.strip())
          || id.chars().anyMatch(Character::isISOControl)
          || !ids.add(id)) {
        continue;
      }
      items.add(item(random, id, brands, dimension));
    }
    return items;
  }

  private static Item item(Random random, String id, List<String> brands, int dimension) {
    Map<String, String> attributes = new LinkedHashMap<>();
    int attributeCount =
        random.nextInt(8) == 0 ? random.nextInt(CatalogLimits.MAX_ATTRIBUTES) : random.nextInt(4);
    for (int i = 0; i < attributeCount; i++) {
      attributes.put("k" + random.nextInt(300), random.nextBoolean() ? "" : text(random, 2, 20));
    }
    boolean priced = random.nextInt(5) != 0;
    float[] vector = null;
    if (dimension > 0 && random.nextBoolean()) {
      vector = new float[dimension];
      for (int i = 0; i < dimension; i++) {
        vector[i] = (float) random.nextGaussian();
      }
    }
    StringBuilder category = new StringBuilder();
    int depth =
        random.nextInt(4) == 0
            ? 0
            : 1 + random.nextInt(random.nextInt(10) == 0 ? CatalogLimits.MAX_CATEGORY_DEPTH : 4);
    for (int d = 0; d < depth; d++) {
      if (d > 0) {
        category.append(Item.CATEGORY_SEPARATOR);
      }
      category.append("C").append(random.nextInt(4));
    }
    return new Item(
        id,
        random.nextInt(50) == 0
            ? "t".repeat(CatalogLimits.MAX_TITLE_BYTES)
            : "title " + text(random, 1 + random.nextInt(6), 40),
        random.nextInt(3) == 0 ? "" : text(random, random.nextInt(40), 4000),
        random.nextInt(4) == 0 ? "" : brands.get(random.nextInt(brands.size())),
        category.toString(),
        priced ? (long) random.nextInt(1_000_000) : Item.UNKNOWN_PRICE,
        priced ? CURRENCIES[random.nextInt(CURRENCIES.length)] : "",
        random.nextInt(5) == 0 ? Item.UNKNOWN_STOCK : random.nextInt(1000),
        random.nextInt(3) == 0 ? Float.NaN : random.nextInt(51) / 10f,
        attributes,
        vector);
  }

  /** Some words joined by spaces, at most {@code maxChars} characters (never cutting a pair). */
  public static String text(Random random, int words, int maxChars) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < words; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(WORDS[random.nextInt(WORDS.length)]);
    }
    String s = sb.toString().strip();
    if (s.length() > maxChars) {
      s = s.substring(0, maxChars);
      if (Character.isHighSurrogate(s.charAt(s.length() - 1))) {
        s = s.substring(0, s.length() - 1);
      }
      s = s.strip();
    }
    return s.isEmpty() ? "w" : s;
  }
}
