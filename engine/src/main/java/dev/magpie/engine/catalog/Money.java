package dev.magpie.engine.catalog;

import java.math.BigDecimal;
import java.util.Currency;

/** Prices in minor units, as people read and type them: "12.99 USD". */
public final class Money {
  private Money() {}

  /** {@code minor} units of {@code currency} as "12.99 USD"; "-" for {@link Item#UNKNOWN_PRICE}. */
  public static String format(long minor, String currency) {
    if (minor == Item.UNKNOWN_PRICE) {
      return "-";
    }
    int digits = currency.isEmpty() ? 2 : digits(currency);
    return BigDecimal.valueOf(minor, digits).toPlainString()
        + (currency.isEmpty() ? "" : " " + currency);
  }

  /**
   * Decimal places of a major unit of the ISO 4217 currency {@code code} (2 for USD, 0 for JPY).
   */
  public static int digits(String code) {
    return Math.max(0, Currency.getInstance(code).getDefaultFractionDigits());
  }

  /**
   * {@code major} units of {@code currency} in minor units.
   *
   * @throws ArithmeticException when it has more decimals than the currency has, or is too large
   */
  public static long minorUnits(BigDecimal major, String currency) {
    return major.movePointRight(digits(currency)).longValueExact();
  }
}
