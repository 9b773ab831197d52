package dev.magpie.engine.catalog;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One product, as loaded and as read back from a snapshot. Instances are built by {@link
 * ItemBuilder}, which validates every field; optional numbers use sentinels ({@link
 * #UNKNOWN_PRICE}, {@link #UNKNOWN_STOCK}, {@link Float#NaN} for no rating) so the record stays
 * primitive.
 *
 * @param externalId the catalog's id, unique, 1 to {@link CatalogLimits#MAX_ID_BYTES} UTF-8 bytes
 * @param title the display title, never empty
 * @param description free text, possibly empty
 * @param brand the brand name, possibly empty
 * @param categoryPath the category, most general first, segments joined by {@link
 *     #CATEGORY_SEPARATOR} ("Home &gt; Kitchen &gt; Knives"), possibly empty
 * @param priceMinor price in minor units of {@code currency} (cents for USD), or {@link
 *     #UNKNOWN_PRICE}
 * @param currency ISO 4217 code, empty when the price is unknown
 * @param stock units in stock, or {@link #UNKNOWN_STOCK}
 * @param rating average rating from 0 to 5, or NaN when unrated
 * @param attributes free attributes in the catalog's order (colour, size, material, ...)
 * @param vector the item's embedding, or null when the catalog brings none
 * @param sponsored whether a seller paid to promote the item; shown to callers as such and never
 *     read by organic ranking
 */
public record Item(
    String externalId,
    String title,
    String description,
    String brand,
    String categoryPath,
    long priceMinor,
    String currency,
    int stock,
    float rating,
    Map<String, String> attributes,
    float[] vector,
    boolean sponsored) {

  /** {@link #priceMinor()} of an item whose price is unknown. */
  public static final long UNKNOWN_PRICE = -1L;

  /** {@link #stock()} of an item whose stock is unknown. */
  public static final int UNKNOWN_STOCK = -1;

  /** Separator between category path segments, as stored and displayed. */
  public static final String CATEGORY_SEPARATOR = " > ";

  /** Copies the attribute map so the record is immutable. */
  public Item {
    Objects.requireNonNull(externalId, "externalId");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(brand, "brand");
    Objects.requireNonNull(categoryPath, "categoryPath");
    Objects.requireNonNull(currency, "currency");
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /** An item that is not sponsored. */
  public Item(
      String externalId,
      String title,
      String description,
      String brand,
      String categoryPath,
      long priceMinor,
      String currency,
      int stock,
      float rating,
      Map<String, String> attributes,
      float[] vector) {
    this(
        externalId,
        title,
        description,
        brand,
        categoryPath,
        priceMinor,
        currency,
        stock,
        rating,
        attributes,
        vector,
        false);
  }

  /** This item marked sponsored (or not). */
  public Item withSponsored(boolean value) {
    return new Item(
        externalId,
        title,
        description,
        brand,
        categoryPath,
        priceMinor,
        currency,
        stock,
        rating,
        attributes,
        vector,
        value);
  }

  /** This item with another price (in minor units of {@code priceCurrency}) and stock. */
  public Item withSale(long price, String priceCurrency, int units) {
    return new Item(
        externalId,
        title,
        description,
        brand,
        categoryPath,
        price,
        priceCurrency,
        units,
        rating,
        attributes,
        vector,
        sponsored);
  }

  /** Whether the price is known. */
  public boolean hasPrice() {
    return priceMinor != UNKNOWN_PRICE;
  }

  /** Whether the stock level is known. */
  public boolean hasStock() {
    return stock != UNKNOWN_STOCK;
  }

  /** Whether the item has a rating. */
  public boolean hasRating() {
    return !Float.isNaN(rating);
  }

  /** This item with {@code newVector} (an embedding computed for it) in place of its vector. */
  public Item withVector(float[] newVector) {
    return new Item(
        externalId,
        title,
        description,
        brand,
        categoryPath,
        priceMinor,
        currency,
        stock,
        rating,
        attributes,
        newVector,
        sponsored);
  }

  /** Whether the item carries its own vector. */
  public boolean hasVector() {
    return vector != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Item other
        && externalId.equals(other.externalId)
        && title.equals(other.title)
        && description.equals(other.description)
        && brand.equals(other.brand)
        && categoryPath.equals(other.categoryPath)
        && priceMinor == other.priceMinor
        && currency.equals(other.currency)
        && stock == other.stock
        && Float.compare(rating, other.rating) == 0
        && attributes.equals(other.attributes)
        && Arrays.equals(vector, other.vector)
        && sponsored == other.sponsored;
  }

  @Override
  public int hashCode() {
    return Objects.hash(externalId, title, priceMinor, stock) * 31 + Arrays.hashCode(vector);
  }

  @Override
  public String toString() {
    return "Item["
        + externalId
        + " '"
        + title
        + "' "
        + brand
        + " | "
        + categoryPath
        + " | "
        + (hasPrice() ? priceMinor + " " + currency : "no price")
        + " | stock "
        + (hasStock() ? stock : "unknown")
        + " | rating "
        + rating
        + " | "
        + attributes
        + (vector == null ? "" : " | vector[" + vector.length + "]")
        + (sponsored ? " | sponsored" : "")
        + "]";
  }
}
