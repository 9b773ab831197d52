package dev.magpie.engine.catalog;

import java.math.BigDecimal;
import java.util.Currency;

/** Prices in minor units shown as people read them: "12.99 USD". */
public final class Money {
  private Money() {}

  /** {@code minor} units of {@code currency} as "12.99 USD"; "-" for {@link Item#UNKNOWN_PRICE}. */
  public static String format(long minor, String currency) {
    if (minor == Item.UNKNOWN_PRICE) {
      return "-";
    }
    int digits = currency.isEmpty() ? 2 : Currency.getInstance(currency).getDefaultFractionDigits();
    return BigDecimal.valueOf(minor, Math.max(0, digits)).toPlainString() + (currency.isEmpty() ? "" : " " + currency);
  }
}
