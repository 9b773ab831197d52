package dev.magpie.engine.catalog;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns raw field values into a valid {@link Item}, one field at a time, or says precisely which
 * field is wrong. Each setter validates what it can alone and throws {@link InvalidFieldException}
 * naming the field and value; {@link #build()} checks what needs several fields (required fields, a
 * price against its currency's decimals).
 *
 * <p>A builder is reused for row after row: {@link #reset()} clears it. Not thread-safe.
 */
public final class ItemBuilder {
  private final String defaultCurrency;
  private String id;
  private String title;
  private String description = "";
  private String brand = "";
  private String category = "";
  private BigDecimal price;
  private String priceText;
  private long priceMinor = Item.UNKNOWN_PRICE;
  private String currency;
  private int stock = Item.UNKNOWN_STOCK;
  private float rating = Float.NaN;
  private boolean sponsored;
  private final Map<String, String> attributes = new LinkedHashMap<>();
  private float[] vector;
  private int expectedDimension;

  /**
   * @param defaultCurrency ISO 4217 code used for prices given without a currency
   */
  public ItemBuilder(String defaultCurrency) {
    try {
      this.defaultCurrency = checkCurrency(defaultCurrency);
    } catch (InvalidFieldException e) {
      throw new IllegalArgumentException("default currency: " + e.getMessage(), e);
    }
  }

  /**
   * Requires vectors of exactly {@code dimension} elements from now on; 0 accepts any dimension.
   */
  public void expectDimension(int dimension) {
    this.expectedDimension = dimension;
  }

  /** Clears every field for the next row. */
  public ItemBuilder reset() {
    id = null;
    title = null;
    description = "";
    brand = "";
    category = "";
    price = null;
    priceText = null;
    priceMinor = Item.UNKNOWN_PRICE;
    currency = null;
    stock = Item.UNKNOWN_STOCK;
    rating = Float.NaN;
    sponsored = false;
    attributes.clear();
    vector = null;
    return this;
  }

  /** The external id; surrounding white space is removed. */
  public ItemBuilder id(String value) throws InvalidFieldException {
    String trimmed = value == null ? "" : value.strip();
    if (trimmed.isEmpty()) {
      throw new InvalidFieldException(
          "id", value, RejectReason.MISSING_ID, "id is missing or blank");
    }
    checkLength("id", trimmed, CatalogLimits.MAX_ID_BYTES);
    for (int i = 0; i < trimmed.length(); i++) {
      if (Character.isISOControl(trimmed.charAt(i))) {
        throw new InvalidFieldException(
            "id",
            trimmed,
            RejectReason.MISSING_ID,
            "id contains a control character at index " + i);
      }
    }
    id = trimmed;
    return this;
  }

  /** The title; required, surrounding white space removed. */
  public ItemBuilder title(String value) throws InvalidFieldException {
    String trimmed = value == null ? "" : value.strip();
    checkLength("title", trimmed, CatalogLimits.MAX_TITLE_BYTES);
    title = trimmed;
    return this;
  }

  /** The description; optional. */
  public ItemBuilder description(String value) throws InvalidFieldException {
    String trimmed = value == null ? "" : value.strip();
    checkLength("description", trimmed, CatalogLimits.MAX_DESCRIPTION_BYTES);
    description = trimmed;
    return this;
  }

  /** The brand; optional. */
  public ItemBuilder brand(String value) throws InvalidFieldException {
    String trimmed = value == null ? "" : value.strip();
    checkLength("brand", trimmed, CatalogLimits.MAX_BRAND_BYTES);
    brand = trimmed;
    return this;
  }

  /**
   * The category path as one string, segments separated by {@code >} ("Home > Kitchen > Knives");
   * white space around segments is normalised, an empty segment is an error.
   */
  public ItemBuilder category(String path) throws InvalidFieldException {
    if (path == null || path.isBlank()) {
      category = "";
      return this;
    }
    List<String> segments = new ArrayList<>();
    for (String segment : path.split(">", -1)) {
      segments.add(segment);
    }
    return categorySegments(segments, path);
  }

  /** The category path as a list of segments, most general first. */
  public ItemBuilder categorySegments(List<String> segments) throws InvalidFieldException {
    return categorySegments(segments, String.join(Item.CATEGORY_SEPARATOR, segments));
  }

  private ItemBuilder categorySegments(List<String> segments, String shown)
      throws InvalidFieldException {
    if (segments.size() > CatalogLimits.MAX_CATEGORY_DEPTH) {
      throw new InvalidFieldException(
          "category",
          shown,
          RejectReason.BAD_CATEGORY,
          "category path has "
              + segments.size()
              + " levels, at most "
              + CatalogLimits.MAX_CATEGORY_DEPTH
              + " are allowed");
    }
    StringBuilder joined = new StringBuilder();
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i) == null ? "" : segments.get(i).strip();
      if (segment.isEmpty()) {
        throw new InvalidFieldException(
            "category",
            shown,
            RejectReason.BAD_CATEGORY,
            "category path has an empty segment at level " + (i + 1));
      }
      if (segment.contains(">")) {
        throw new InvalidFieldException(
            "category",
            shown,
            RejectReason.BAD_CATEGORY,
            "category segment '" + segment + "' contains the separator '>'");
      }
      if (i > 0) {
        joined.append(Item.CATEGORY_SEPARATOR);
      }
      joined.append(segment);
    }
    String path = joined.toString();
    checkLength("category", path, CatalogLimits.MAX_CATEGORY_BYTES);
    category = path;
    return this;
  }

  /**
   * The price in major units as decimal text ("12.99"); converted to minor units of the currency by
   * {@link #build()}, which rejects more decimals than the currency has. A blank value means no
   * price.
   */
  public ItemBuilder price(String text) throws InvalidFieldException {
    if (text == null || text.isBlank()) {
      price = null;
      priceText = null;
      return this;
    }
    String trimmed = text.strip();
    BigDecimal parsed;
    try {
      parsed = new BigDecimal(trimmed);
    } catch (NumberFormatException e) {
      throw new InvalidFieldException(
          "price", text, RejectReason.BAD_PRICE, "price is not a decimal number");
    }
    if (parsed.signum() < 0) {
      throw new InvalidFieldException("price", text, RejectReason.BAD_PRICE, "price is negative");
    }
    // Bound the number before any arithmetic: "1e999999999" is valid BigDecimal text.
    if (parsed.precision() - parsed.scale() > 16) {
      throw new InvalidFieldException(
          "price", text, RejectReason.BAD_PRICE, "price exceeds 10^16 major units");
    }
    if (parsed.scale() > 9 && parsed.stripTrailingZeros().scale() > 9) {
      throw new InvalidFieldException(
          "price", text, RejectReason.BAD_PRICE, "price has more than 9 decimals");
    }
    price = parsed;
    priceText = trimmed;
    priceMinor = Item.UNKNOWN_PRICE;
    return this;
  }

  /** The price already in minor units (cents). */
  public ItemBuilder priceMinor(long minor) throws InvalidFieldException {
    if (minor < 0) {
      throw new InvalidFieldException(
          "price_minor", Long.toString(minor), RejectReason.BAD_PRICE, "price is negative");
    }
    if (minor > CatalogLimits.MAX_PRICE_MINOR) {
      throw new InvalidFieldException(
          "price_minor",
          Long.toString(minor),
          RejectReason.BAD_PRICE,
          "price exceeds " + CatalogLimits.MAX_PRICE_MINOR + " minor units");
    }
    priceMinor = minor;
    price = null;
    priceText = null;
    return this;
  }

  /** The ISO 4217 currency code of the price ("USD"); blank means the default currency. */
  public ItemBuilder currency(String code) throws InvalidFieldException {
    currency =
        code == null || code.isBlank()
            ? null
            : checkCurrency(code.strip().toUpperCase(Locale.ROOT));
    return this;
  }

  /** Units in stock as text; blank means unknown. */
  public ItemBuilder stock(String text) throws InvalidFieldException {
    if (text == null || text.isBlank()) {
      stock = Item.UNKNOWN_STOCK;
      return this;
    }
    long parsed;
    try {
      parsed = Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new InvalidFieldException(
          "stock", text, RejectReason.BAD_STOCK, "stock is not a whole number");
    }
    return stock(parsed, text);
  }

  /** Units in stock. */
  public ItemBuilder stock(long units) throws InvalidFieldException {
    return stock(units, Long.toString(units));
  }

  private ItemBuilder stock(long units, String shown) throws InvalidFieldException {
    if (units < 0) {
      throw new InvalidFieldException("stock", shown, RejectReason.BAD_STOCK, "stock is negative");
    }
    if (units > Integer.MAX_VALUE) {
      throw new InvalidFieldException(
          "stock", shown, RejectReason.BAD_STOCK, "stock exceeds " + Integer.MAX_VALUE);
    }
    stock = (int) units;
    return this;
  }

  /**
   * Whether the item is sponsored, as text: true/false, yes/no, 1/0 (any case); blank means not.
   */
  public ItemBuilder sponsored(String text) throws InvalidFieldException {
    String v = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    sponsored =
        switch (v) {
          case "", "false", "no", "0" -> false;
          case "true", "yes", "1" -> true;
          default ->
              throw new InvalidFieldException(
                  "sponsored", text, RejectReason.BAD_FLAG, "sponsored must be true or false");
        };
    return this;
  }

  /** The average rating as text, 0 to 5; blank means unrated. */
  public ItemBuilder rating(String text) throws InvalidFieldException {
    if (text == null || text.isBlank()) {
      rating = Float.NaN;
      return this;
    }
    double parsed;
    try {
      parsed = Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      throw new InvalidFieldException(
          "rating", text, RejectReason.BAD_RATING, "rating is not a number");
    }
    return rating(parsed);
  }

  /** The average rating, 0 to 5. */
  public ItemBuilder rating(double value) throws InvalidFieldException {
    if (!(value >= 0 && value <= 5)) {
      throw new InvalidFieldException(
          "rating", Double.toString(value), RejectReason.BAD_RATING, "rating must be from 0 to 5");
    }
    rating = (float) value;
    return this;
  }

  /** Adds a free attribute; a later value for the same name replaces the earlier one. */
  public ItemBuilder attribute(String name, String value) throws InvalidFieldException {
    String key = name == null ? "" : name.strip();
    if (key.isEmpty()) {
      throw new InvalidFieldException(
          "attributes", name, RejectReason.BAD_ATTRIBUTE, "attribute name is blank");
    }
    checkLength("attributes", key, CatalogLimits.MAX_ATTRIBUTE_KEY_BYTES);
    String v = value == null ? "" : value.strip();
    checkLength("attributes." + key, v, CatalogLimits.MAX_ATTRIBUTE_VALUE_BYTES);
    if (!attributes.containsKey(key) && attributes.size() >= CatalogLimits.MAX_ATTRIBUTES) {
      throw new InvalidFieldException(
          "attributes",
          key,
          RejectReason.FIELD_TOO_LONG,
          "more than " + CatalogLimits.MAX_ATTRIBUTES + " attributes");
    }
    attributes.put(key, v);
    return this;
  }

  /** The item's own vector; every element must be finite. */
  public ItemBuilder vector(float[] values) throws InvalidFieldException {
    if (values == null) {
      vector = null;
      return this;
    }
    if (values.length == 0 || values.length > CatalogLimits.MAX_VECTOR_DIMENSION) {
      throw new InvalidFieldException(
          "vector",
          "[" + values.length + " values]",
          RejectReason.BAD_VECTOR,
          "vector dimension "
              + values.length
              + " is outside 1 to "
              + CatalogLimits.MAX_VECTOR_DIMENSION);
    }
    if (expectedDimension != 0 && values.length != expectedDimension) {
      throw new InvalidFieldException(
          "vector",
          "[" + values.length + " values]",
          RejectReason.BAD_VECTOR,
          "vector dimension " + values.length + ", expected " + expectedDimension);
    }
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new InvalidFieldException(
            "vector",
            Float.toString(values[i]),
            RejectReason.BAD_VECTOR,
            "vector element " + i + " is not finite");
      }
    }
    vector = values;
    return this;
  }

  /** Checks the fields together and returns the item. */
  public Item build() throws InvalidFieldException {
    if (id == null) {
      throw new InvalidFieldException("id", null, RejectReason.MISSING_ID, "id is missing");
    }
    if (title == null || title.isEmpty()) {
      throw new InvalidFieldException(
          "title", title, RejectReason.MISSING_FIELD, "title is missing or blank");
    }
    String code = currency == null ? defaultCurrency : currency;
    long minor = priceMinor;
    if (price != null) {
      minor = toMinorUnits(price, priceText, code);
    }
    return new Item(
        id,
        title,
        description,
        brand,
        category,
        minor,
        minor == Item.UNKNOWN_PRICE ? "" : code,
        stock,
        rating,
        attributes,
        vector,
        sponsored);
  }

  private static long toMinorUnits(BigDecimal major, String shown, String code)
      throws InvalidFieldException {
    int digits = Money.digits(code);
    BigDecimal minor = major.movePointRight(digits);
    BigDecimal whole = minor.setScale(0, RoundingMode.DOWN);
    if (minor.compareTo(whole) != 0) {
      throw new InvalidFieldException(
          "price",
          shown,
          RejectReason.BAD_PRICE,
          "price has more decimals than " + code + " allows (" + digits + ")");
    }
    if (whole.compareTo(BigDecimal.valueOf(CatalogLimits.MAX_PRICE_MINOR)) > 0) {
      throw new InvalidFieldException(
          "price",
          shown,
          RejectReason.BAD_PRICE,
          "price exceeds " + CatalogLimits.MAX_PRICE_MINOR + " minor units of " + code);
    }
    return whole.longValueExact();
  }

  private static String checkCurrency(String code) throws InvalidFieldException {
    try {
      Currency currency = Currency.getInstance(code);
      if (currency.getDefaultFractionDigits() < 0) {
        throw new InvalidFieldException(
            "currency", code, RejectReason.BAD_CURRENCY, "currency " + code + " has no minor unit");
      }
      return currency.getCurrencyCode();
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException(
          "currency", code, RejectReason.BAD_CURRENCY, "not an ISO 4217 currency code");
    }
  }

  private static void checkLength(String field, String value, int maxBytes)
      throws InvalidFieldException {
    int bytes = Utf8.encodedLength(value);
    if (bytes > maxBytes) {
      throw new InvalidFieldException(
          field,
          value,
          RejectReason.FIELD_TOO_LONG,
          field + " is " + bytes + " bytes of UTF-8, the limit is " + maxBytes);
    }
  }
}
