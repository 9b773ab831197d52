package dev.magpie.mcp;

import dev.magpie.api.v1.Item;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Items as the tools' structured content shows them: the fields an agent quotes (id, title, brand,
 * category, price as a decimal with its currency, availability, rating, whether it is sponsored)
 * and why it was chosen. Prices go both ways through here: agents speak in currency units, the API
 * in minor units.
 */
final class ItemViews {
  private ItemViews() {}

  /** {@code item} with the reasons it was chosen (none for a plain lookup). */
  static Map<String, Object> of(Item item, List<String> why) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", item.getId());
    out.put("title", item.getTitle());
    if (!item.getBrand().isEmpty()) {
      out.put("brand", item.getBrand());
    }
    if (!item.getCategory().isEmpty()) {
      out.put("category", item.getCategory());
    }
    if (item.hasPriceMinor()) {
      Map<String, Object> price = new LinkedHashMap<>();
      price.put("amount", units(item.getPriceMinor(), item.getCurrency()));
      price.put("currency", item.getCurrency());
      out.put("price", price);
    }
    out.put("availability", availability(item));
    if (item.hasRating()) {
      out.put("rating", item.getRating());
    }
    if (!item.getAttributesMap().isEmpty()) {
      out.put("attributes", new LinkedHashMap<>(item.getAttributesMap()));
    }
    out.put("sponsored", item.getSponsored());
    if (!why.isEmpty()) {
      out.put("why", why);
    }
    return out;
  }

  /**
   * "in_stock", "out_of_stock", "withdrawn" or "unknown" (the catalog gave no stock): what an agent
   * may promise a shopper.
   */
  static String availability(Item item) {
    if (item.getWithdrawn()) {
      return "withdrawn";
    }
    if (!item.hasStock()) {
      return "unknown";
    }
    return item.getStock() > 0 ? "in_stock" : "out_of_stock";
  }

  /** Minor units of {@code currency} as an amount (1999 USD -> 19.99; 1999 JPY -> 1999). */
  static BigDecimal units(long minor, String currency) {
    return BigDecimal.valueOf(minor, fractionDigits(currency));
  }

  /** An amount of {@code currency} in its minor units (19.99 USD -> 1999), rounded. */
  static long minor(double units, String currency) {
    return BigDecimal.valueOf(units)
        .movePointRight(fractionDigits(currency))
        .setScale(0, RoundingMode.HALF_UP)
        .longValueExact();
  }

  /** "19.99 USD", or "no price" for an item without one. */
  static String priceText(Item item) {
    return item.hasPriceMinor()
        ? units(item.getPriceMinor(), item.getCurrency()).toPlainString() + " " + item.getCurrency()
        : "no price";
  }

  /** Minor units in one unit of {@code currency}'s as a power of ten: 2 when unknown or empty. */
  static int fractionDigits(String currency) {
    if (currency == null || currency.isEmpty()) {
      return 2;
    }
    try {
      int digits = Currency.getInstance(currency).getDefaultFractionDigits();
      return digits < 0 ? 2 : digits;
    } catch (IllegalArgumentException e) {
      return 2;
    }
  }
}
