package dev.magpie.ingest.input;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The item fields a catalog file can name, each with the column or key names it is known by. Names
 * match case-insensitively; anything else is stored as a free attribute.
 */
public enum CatalogField {
  /** External id. */
  ID("id", "item_id", "product_id", "product_uid", "sku"),
  /** Title. */
  TITLE("title", "name", "product_title"),
  /** Description. */
  DESCRIPTION("description", "desc", "product_description"),
  /** Brand. */
  BRAND("brand", "manufacturer"),
  /** Category path, "A > B > C" or (JSON) an array of segments. */
  CATEGORY("category", "category_path", "categories"),
  /** Price in major units ("12.99"). */
  PRICE("price"),
  /** Price in minor units (1299). */
  PRICE_MINOR("price_minor", "price_cents"),
  /** ISO 4217 currency code. */
  CURRENCY("currency"),
  /** Units in stock. */
  STOCK("stock", "quantity", "inventory"),
  /** Average rating, 0 to 5. */
  RATING("rating", "stars"),
  /** Whether a seller paid to promote the item (true/false); reported, never ranked on. */
  SPONSORED("sponsored", "is_sponsored", "promoted"),
  /** Free attributes (JSON object). */
  ATTRIBUTES("attributes", "attrs"),
  /** The item's own vector: a JSON array, or numbers separated by spaces, commas or semicolons. */
  VECTOR("vector", "embedding");

  private static final Map<String, CatalogField> BY_NAME = new HashMap<>();

  static {
    for (CatalogField field : values()) {
      for (String name : field.names) {
        BY_NAME.put(name, field);
      }
    }
  }

  private final List<String> names;

  CatalogField(String... names) {
    this.names = List.of(names);
  }

  /** The canonical name (as used in --columns and error messages). */
  public String canonicalName() {
    return names.getFirst();
  }

  /** The field a column or key is named for, or null when it is a free attribute. */
  public static CatalogField byName(String name) {
    return BY_NAME.get(name.strip().toLowerCase(Locale.ROOT));
  }
}
