package dev.magpie.engine.catalog;

/**
 * Upper bounds on item fields, in UTF-8 bytes unless stated. They keep one hostile or broken row
 * from costing the whole catalog memory, and they are part of the contract with catalog owners: a
 * value over its limit rejects the row with {@link RejectReason#FIELD_TOO_LONG}.
 */
public final class CatalogLimits {
  /** External id. */
  public static final int MAX_ID_BYTES = 256;

  /** Title. */
  public static final int MAX_TITLE_BYTES = 2_048;

  /** Description. */
  public static final int MAX_DESCRIPTION_BYTES = 64 * 1024;

  /** Brand. */
  public static final int MAX_BRAND_BYTES = 256;

  /** Whole category path. */
  public static final int MAX_CATEGORY_BYTES = 1_024;

  /** Category path depth. */
  public static final int MAX_CATEGORY_DEPTH = 16;

  /** Attribute name. */
  public static final int MAX_ATTRIBUTE_KEY_BYTES = 128;

  /** Attribute value. */
  public static final int MAX_ATTRIBUTE_VALUE_BYTES = 1_024;

  /** Attributes per item. */
  public static final int MAX_ATTRIBUTES = 128;

  /** Vector dimension. */
  public static final int MAX_VECTOR_DIMENSION = 4_096;

  /** Largest price in minor units (10^15, a quadrillion cents). */
  public static final long MAX_PRICE_MINOR = 1_000_000_000_000_000L;

  /** One input record (a JSON line, a CSV row), all fields together. */
  public static final int MAX_RECORD_BYTES = 4 * 1024 * 1024;

  private CatalogLimits() {}
}
