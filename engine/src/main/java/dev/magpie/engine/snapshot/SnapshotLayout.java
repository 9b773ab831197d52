package dev.magpie.engine.snapshot;

import java.util.regex.Pattern;

/** File and directory names inside a snapshot store and a snapshot version. */
public final class SnapshotLayout {
  /** The file naming the live version. */
  public static final String CURRENT = "CURRENT";

  /** The lock file held while a version is staged. */
  public static final String LOCK = ".lock";

  /** Prefix of staging directories. */
  public static final String STAGING_PREFIX = ".staging-";

  /**
   * Prefix a pruned version is renamed to before its files are deleted, so a crash while deleting
   * leaves debris the next stage removes, never a half-deleted directory named as a version.
   */
  public static final String DELETING_PREFIX = ".deleting-";

  /** The directory, inside a store, of its server's write-ahead log of live updates. */
  public static final String WAL = "wal";

  /** The manifest, written last. */
  public static final String MANIFEST = "manifest.json";

  /** External ids, by item ordinal. */
  public static final String IDS = "items/ids.str";

  /** Hash index from external id to item ordinal. */
  public static final String ID_INDEX = "items/ids.idx";

  /** Titles. */
  public static final String TITLES = "items/titles.str";

  /** Descriptions. */
  public static final String DESCRIPTIONS = "items/descriptions.str";

  /** Brand ordinal per item (-1: none). */
  public static final String BRAND = "items/brand.i32";

  /** Brand names by brand ordinal. */
  public static final String BRANDS = "items/brands.str";

  /** Hash index from brand name to brand ordinal. */
  public static final String BRAND_INDEX = "items/brands.idx";

  /** Category ordinal per item (-1: none). */
  public static final String CATEGORY = "items/category.i32";

  /** Category paths by category ordinal; every prefix of an item's path is a category too. */
  public static final String CATEGORIES = "items/categories.str";

  /** Hash index from category path to category ordinal. */
  public static final String CATEGORY_INDEX = "items/categories.idx";

  /** Parent category ordinal per category (-1: a root). */
  public static final String CATEGORY_PARENTS = "items/category-parents.i32";

  /** Price in minor units per item (-1: unknown). */
  public static final String PRICE = "items/price.i64";

  /** Currency ordinal per item (-1: no price). */
  public static final String CURRENCY = "items/currency.i16";

  /** ISO 4217 codes by currency ordinal. */
  public static final String CURRENCIES = "items/currencies.str";

  /** Units in stock per item (-1: unknown). */
  public static final String STOCK = "items/stock.i32";

  /** Rating per item (NaN: unrated). */
  public static final String RATING = "items/rating.f32";

  /** Flag bits per item, see {@link ItemFlags}. */
  public static final String FLAGS = "items/flags.i8";

  /** Encoded attributes per item, see {@link AttributeCodec}. */
  public static final String ATTRIBUTES = "items/attributes.bin";

  /** Attribute names by attribute-name ordinal. */
  public static final String ATTRIBUTE_KEYS = "items/attribute-keys.str";

  /**
   * On a shard: each item's position in the whole catalog (its ordinal on a single node), which
   * orders items of equal score across shards as one index would.
   */
  public static final String POSITIONS = "items/positions.i64";

  /** The catalog's own vectors, one row per item (zeros where an item has none). */
  public static final String VECTORS = "vectors/vectors.f32";

  private static final Pattern VERSION_NAME = Pattern.compile("v(\\d{6,9})");

  private SnapshotLayout() {}

  /** The directory name of version {@code number}: "v000042". */
  public static String versionName(int number) {
    if (number < 1) {
      throw new IllegalArgumentException("snapshot versions start at 1, got " + number);
    }
    return String.format("v%06d", number);
  }

  /** The number of a version directory name, or -1 if {@code name} is not one. */
  public static int versionNumber(String name) {
    var matcher = VERSION_NAME.matcher(name);
    return matcher.matches() ? Integer.parseInt(matcher.group(1)) : -1;
  }
}
