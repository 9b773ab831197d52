package dev.magpie.engine.snapshot;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.shard.Shard;
import dev.magpie.engine.store.ColumnType;
import dev.magpie.engine.store.FixedWidthColumn;
import dev.magpie.engine.store.StringColumn;
import dev.magpie.engine.store.StringHashIndex;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The items of an open snapshot: off-heap columns indexed by item ordinal (0 to {@link
 * #snapshotSize()} - 1), the dictionaries they refer to, and the external id to ordinal index, then
 * the items added live since (ordinals {@link #snapshotSize()} to {@link #size()} - 1, on the heap
 * until the next snapshot folds them in). Every accessor reads the mapped files directly (one
 * comparison sends an added item's ordinal to the heap rows); {@link #item(int)} assembles a heap
 * {@link Item} for display or export. Valid until the owning {@link Snapshot} is closed, after
 * which accessors throw {@link IllegalStateException}.
 *
 * <p>An instance is one epoch of the items: the snapshot's columns (shared by every epoch, never
 * written) with the items added and the sale facts changed live up to that epoch ({@link
 * SaleOverlay}), fixed for the instance's life. The live layer's {@link Writer} prepares the next
 * epoch and publishes it as a new instance; a reader that keeps one instance for a request sees
 * every change of a batch or none. Immutable and thread-safe.
 */
public final class ItemStore {
  /** Most items {@link #append} takes before a snapshot must fold them in. */
  public static final int MAX_APPENDED = 20_000;

  private final int size;
  private final StringColumn ids;
  private final StringHashIndex idIndex;
  private final StringColumn titles;
  private final StringColumn descriptions;
  private final FixedWidthColumn brand;
  private final StringColumn brands;
  private final StringHashIndex brandIndex;
  private final FixedWidthColumn category;
  private final StringColumn categories;
  private final StringHashIndex categoryIndex;
  private final FixedWidthColumn categoryParents;
  private final FixedWidthColumn price;
  private final FixedWidthColumn currency;
  private final StringColumn currencies;
  private final FixedWidthColumn stock;
  private final FixedWidthColumn rating;
  private final FixedWidthColumn flags;
  private final StringColumn attributes;
  private final StringColumn attributeKeys;
  private final FixedWidthColumn vectors;

  /** On a shard: each item's position in the whole catalog; null on an unsharded snapshot. */
  private final FixedWidthColumn positions;

  /** Items in the whole catalog: the shard's record of it, or this snapshot's size. */
  private final long catalogItems;

  /** Items added live, with ordinals from {@link #snapshotSize()}: the writer's rows and id map. */
  private final AppendedItems appended;

  /** The rows of {@link #appended} this epoch sees. */
  private final AppendedItems.State rows;

  /** The sale facts changed live up to this epoch. */
  private final SaleOverlay sales;

  /**
   * Items withdrawn from sale in this epoch. Starts at 0: snapshot files never carry the flag (a
   * fold leaves withdrawn items out), so nothing is scanned at open.
   */
  private final int withdrawn;

  /**
   * The items of the snapshot version {@code dir} alone, verified, mapped in {@code arena}: for
   * tools that read a catalog's items without its text index (a peer benchmark whose process
   * carries another Lucene).
   */
  public static ItemStore open(Path dir, Arena arena) throws IOException {
    return new ItemStore(dir, arena, Manifest.read(dir.resolve(SnapshotLayout.MANIFEST)), true);
  }

  ItemStore(Path dir, Arena arena, Manifest manifest, boolean verify) throws IOException {
    ids = StringColumn.open(dir.resolve(SnapshotLayout.IDS), arena, verify);
    size = (int) ids.size();
    idIndex = StringHashIndex.open(dir.resolve(SnapshotLayout.ID_INDEX), arena, ids, verify);
    titles = strings(dir, SnapshotLayout.TITLES, arena, verify, size);
    descriptions = strings(dir, SnapshotLayout.DESCRIPTIONS, arena, verify, size);
    brand = column(dir, SnapshotLayout.BRAND, arena, ColumnType.INT32, 1, verify, size);
    brands = StringColumn.open(dir.resolve(SnapshotLayout.BRANDS), arena, verify);
    brandIndex =
        StringHashIndex.open(dir.resolve(SnapshotLayout.BRAND_INDEX), arena, brands, verify);
    category = column(dir, SnapshotLayout.CATEGORY, arena, ColumnType.INT32, 1, verify, size);
    categories = StringColumn.open(dir.resolve(SnapshotLayout.CATEGORIES), arena, verify);
    categoryIndex =
        StringHashIndex.open(dir.resolve(SnapshotLayout.CATEGORY_INDEX), arena, categories, verify);
    categoryParents =
        column(
            dir,
            SnapshotLayout.CATEGORY_PARENTS,
            arena,
            ColumnType.INT32,
            1,
            verify,
            (int) categories.size());
    price = column(dir, SnapshotLayout.PRICE, arena, ColumnType.INT64, 1, verify, size);
    currency = column(dir, SnapshotLayout.CURRENCY, arena, ColumnType.INT16, 1, verify, size);
    currencies = StringColumn.open(dir.resolve(SnapshotLayout.CURRENCIES), arena, verify);
    stock = column(dir, SnapshotLayout.STOCK, arena, ColumnType.INT32, 1, verify, size);
    rating = column(dir, SnapshotLayout.RATING, arena, ColumnType.FLOAT32, 1, verify, size);
    flags = column(dir, SnapshotLayout.FLAGS, arena, ColumnType.INT8, 1, verify, size);
    attributes = strings(dir, SnapshotLayout.ATTRIBUTES, arena, verify, size);
    attributeKeys = StringColumn.open(dir.resolve(SnapshotLayout.ATTRIBUTE_KEYS), arena, verify);
    vectors =
        manifest.vectorDimension() == 0
            ? null
            : column(
                dir,
                SnapshotLayout.VECTORS,
                arena,
                ColumnType.FLOAT32,
                manifest.vectorDimension(),
                verify,
                size);
    Shard shard;
    try {
      shard = Shard.of(manifest.build());
    } catch (IllegalArgumentException e) {
      throw new CorruptFileException(
          dir.resolve(SnapshotLayout.MANIFEST), "bad shard parameters: " + e.getMessage());
    }
    positions =
        shard == null
            ? null
            : column(dir, SnapshotLayout.POSITIONS, arena, ColumnType.INT64, 1, verify, size);
    catalogItems = shard == null ? size : shard.catalogItems();
    appended = new AppendedItems(size, (int) brands.size());
    rows = appended.state();
    sales = SaleOverlay.empty(size + MAX_APPENDED);
    withdrawn = 0;
    if (size != manifest.itemCount()) {
      throw new CorruptFileException(
          dir.resolve(SnapshotLayout.IDS),
          size + " items, the manifest says " + manifest.itemCount());
    }
  }

  /** The epoch after {@code base}'s with {@code rows}, {@code sales} and {@code withdrawn}. */
  private ItemStore(ItemStore base, AppendedItems.State rows, SaleOverlay sales, int withdrawn) {
    this.size = base.size;
    this.ids = base.ids;
    this.idIndex = base.idIndex;
    this.titles = base.titles;
    this.descriptions = base.descriptions;
    this.brand = base.brand;
    this.brands = base.brands;
    this.brandIndex = base.brandIndex;
    this.category = base.category;
    this.categories = base.categories;
    this.categoryIndex = base.categoryIndex;
    this.categoryParents = base.categoryParents;
    this.price = base.price;
    this.currency = base.currency;
    this.currencies = base.currencies;
    this.stock = base.stock;
    this.rating = base.rating;
    this.flags = base.flags;
    this.attributes = base.attributes;
    this.attributeKeys = base.attributeKeys;
    this.vectors = base.vectors;
    this.positions = base.positions;
    this.catalogItems = base.catalogItems;
    this.appended = base.appended;
    this.rows = rows;
    this.sales = sales;
    this.withdrawn = withdrawn;
  }

  private static StringColumn strings(Path dir, String name, Arena arena, boolean verify, int rows)
      throws IOException {
    StringColumn column = StringColumn.open(dir.resolve(name), arena, verify);
    column.file().require(column.size() == rows, column.size() + " values, expected " + rows);
    return column;
  }

  private static FixedWidthColumn column(
      Path dir, String name, Arena arena, ColumnType type, int arity, boolean verify, int rows)
      throws IOException {
    return checked(FixedWidthColumn.open(dir.resolve(name), arena, type, arity, verify), rows);
  }

  private static FixedWidthColumn checked(FixedWidthColumn column, int rows) throws IOException {
    column.file().require(column.rows() == rows, column.rows() + " rows, expected " + rows);
    return column;
  }

  /**
   * Item {@code ordinal}'s position in the whole catalog: its ordinal on a single node; on a shard,
   * the ordinal it would have had on one. Items added live since follow the catalog in the order
   * this store took them. Orders items of equal score across shards.
   */
  public long catalogPosition(int ordinal) {
    if (ordinal >= size) {
      return catalogItems + (ordinal - size);
    }
    return positions == null ? ordinal : positions.getLong(ordinal);
  }

  /** Number of items: the snapshot's and those added live since. */
  public int size() {
    return size + rows.count();
  }

  /** Number of items in the snapshot's files; ordinals from here on were added live. */
  public int snapshotSize() {
    return size;
  }

  /** The ordinal of the item with external id {@code externalId}, or -1. */
  public int ordinalOf(String externalId) {
    int ordinal = idIndex.ordinalOf(externalId);
    if (ordinal >= 0) {
      return ordinal;
    }
    ordinal = appended.ordinalOf(externalId);
    return ordinal < size() ? ordinal : -1; // an item added after this epoch is not here yet
  }

  /** External id of item {@code ordinal}. */
  public String externalId(int ordinal) {
    return ordinal < size ? ids.get(ordinal) : appended.item(rows, ordinal).externalId();
  }

  /** Title of item {@code ordinal}. */
  public String title(int ordinal) {
    return ordinal < size ? titles.get(ordinal) : appended.item(rows, ordinal).title();
  }

  /** Description of item {@code ordinal} (possibly empty). */
  public String description(int ordinal) {
    return ordinal < size ? descriptions.get(ordinal) : appended.item(rows, ordinal).description();
  }

  /** Brand ordinal of item {@code ordinal}, or -1 when it has none. */
  public int brandOrdinal(int ordinal) {
    return ordinal < size ? brand.getInt(ordinal) : appended.brand(rows, ordinal);
  }

  /** Brand name of item {@code ordinal}, or "" when it has none. */
  public String brand(int ordinal) {
    int b = brandOrdinal(ordinal);
    return b < 0 ? "" : brandName(b);
  }

  /**
   * Number of brands in the snapshot's dictionary: the catalog's, the same on every shard (brands
   * that came with items added live follow, each store numbering its own).
   */
  public int snapshotBrandCount() {
    return (int) brands.size();
  }

  /** Number of distinct brands, those that came with items added live included. */
  public int brandCount() {
    return (int) brands.size() + rows.newBrandCount();
  }

  /** Name of brand {@code brandOrdinal}. */
  public String brandName(int brandOrdinal) {
    return brandOrdinal < brands.size()
        ? brands.get(brandOrdinal)
        : appended.brandName(rows, brandOrdinal);
  }

  /** Ordinal of the brand named exactly {@code name}, or -1. */
  public int brandOrdinalOf(String name) {
    int ordinal = brandIndex.ordinalOf(name);
    if (ordinal >= 0) {
      return ordinal;
    }
    ordinal = appended.brandOrdinalOf(name);
    return ordinal < brandCount() ? ordinal : -1;
  }

  /** Category ordinal of item {@code ordinal}, or -1 when it has none. */
  public int categoryOrdinal(int ordinal) {
    return ordinal < size ? category.getInt(ordinal) : appended.category(rows, ordinal);
  }

  /** Category path of item {@code ordinal}, or "". */
  public String categoryPath(int ordinal) {
    int c = categoryOrdinal(ordinal);
    return c < 0 ? "" : categories.get(c);
  }

  /** Number of categories, every prefix of every item's path included. */
  public int categoryCount() {
    return (int) categories.size();
  }

  /** Path of category {@code categoryOrdinal}. */
  public String categoryName(int categoryOrdinal) {
    return categories.get(categoryOrdinal);
  }

  /** Parent of category {@code categoryOrdinal}, or -1 for a root. */
  public int categoryParent(int categoryOrdinal) {
    return categoryParents.getInt(categoryOrdinal);
  }

  /** Ordinal of the category with path {@code path} ("Home > Kitchen"), or -1. */
  public int categoryOrdinalOf(String path) {
    return categoryIndex.ordinalOf(path);
  }

  /** Price of item {@code ordinal} in minor units, or {@link Item#UNKNOWN_PRICE}. */
  public long priceMinor(int ordinal) {
    SaleOverlay.Page changed = sales.changed(ordinal);
    if (changed != null) {
      return changed.price[SaleOverlay.slot(ordinal)];
    }
    return ordinal < size ? price.getLong(ordinal) : appended.price(rows, ordinal);
  }

  /** Currency code of item {@code ordinal}'s price, or "". */
  public String currency(int ordinal) {
    int c = currencyOrdinal(ordinal);
    return c < 0 ? "" : currencies.get(c);
  }

  /** Units in stock of item {@code ordinal}, or {@link Item#UNKNOWN_STOCK}. */
  public int stock(int ordinal) {
    SaleOverlay.Page changed = sales.changed(ordinal);
    if (changed != null) {
      return changed.stock[SaleOverlay.slot(ordinal)];
    }
    return ordinal < size ? stock.getInt(ordinal) : appended.stock(rows, ordinal);
  }

  /** Rating of item {@code ordinal}, NaN when unrated. */
  public float rating(int ordinal) {
    return ordinal < size ? rating.getFloat(ordinal) : appended.item(rows, ordinal).rating();
  }

  /** Flag bits of item {@code ordinal}, see {@link ItemFlags}. */
  public byte flags(int ordinal) {
    SaleOverlay.Page changed = sales.changed(ordinal);
    if (changed != null) {
      return changed.flags[SaleOverlay.slot(ordinal)];
    }
    return ordinal < size ? flags.getByte(ordinal) : appended.flags(rows, ordinal);
  }

  /** Attributes of item {@code ordinal}, decoded onto the heap. */
  public Map<String, String> attributes(int ordinal) {
    return ordinal < size
        ? AttributeCodec.decode(attributes.bytes(ordinal), k -> attributeKeys.get(k))
        : appended.item(rows, ordinal).attributes();
  }

  /** Dimension of the catalog's own vectors, 0 when it brings none. */
  public int vectorDimension() {
    return vectors == null ? 0 : vectors.arity();
  }

  /** Whether item {@code ordinal} has its own vector. */
  public boolean hasVector(int ordinal) {
    return (flags(ordinal) & ItemFlags.HAS_VECTOR) != 0;
  }

  /**
   * The off-heap vector column (one row per item of the snapshot's files), or null when the catalog
   * has no vectors.
   */
  public FixedWidthColumn vectors() {
    return vectors;
  }

  /** Copies item {@code ordinal}'s vector into a new array, or returns null when it has none. */
  public float[] vector(int ordinal) {
    if (!hasVector(ordinal)) {
      return null;
    }
    if (ordinal >= size) {
      return appended.item(rows, ordinal).vector().clone();
    }
    float[] v = new float[vectors.arity()];
    vectors.copyFloats(ordinal, v);
    return v;
  }

  /**
   * Whether item {@code ordinal} has been withdrawn from sale (see {@link ItemFlags#WITHDRAWN}).
   */
  public boolean withdrawn(int ordinal) {
    return (flags(ordinal) & ItemFlags.WITHDRAWN) != 0;
  }

  /** How many items are withdrawn: when 0, filters need not look. */
  public int withdrawnCount() {
    return withdrawn;
  }

  /** Currency ordinal of item {@code ordinal}'s price, or -1 when it has no price. */
  public int currencyOrdinal(int ordinal) {
    SaleOverlay.Page changed = sales.changed(ordinal);
    if (changed != null) {
      return changed.currency[SaleOverlay.slot(ordinal)];
    }
    return ordinal < size ? currency.getShort(ordinal) : appended.currency(rows, ordinal);
  }

  /** The currency codes of this snapshot's prices, by ordinal. */
  public List<String> currencyCodes() {
    List<String> codes = new ArrayList<>();
    for (int c = 0; c < currencies.size(); c++) {
      codes.add(currencies.get(c));
    }
    return codes;
  }

  /** Ordinal of currency code {@code code} in this snapshot's dictionary, or -1. */
  public int currencyOrdinalOf(String code) {
    for (int c = 0; c < currencies.size(); c++) {
      if (currencies.get(c).equals(code)) {
        return c;
      }
    }
    return -1;
  }

  /** Item {@code ordinal} assembled on the heap. */
  public Item item(int ordinal) {
    return new Item(
        externalId(ordinal),
        title(ordinal),
        description(ordinal),
        brand(ordinal),
        categoryPath(ordinal),
        priceMinor(ordinal),
        currency(ordinal),
        stock(ordinal),
        rating(ordinal),
        attributes(ordinal),
        vector(ordinal),
        sponsored(ordinal));
  }

  /**
   * Whether item {@code ordinal} is sponsored (reported to callers; organic ranking never reads
   * it).
   */
  public boolean sponsored(int ordinal) {
    return (flags(ordinal) & ItemFlags.SPONSORED) != 0;
  }

  /**
   * Why {@code item} cannot be added live, as "field: problem" (the field named as the API names
   * it), or null when it can: its id must be new, its category one of this catalog's (new
   * categories come with the next snapshot), its currency one of the catalog's, its vector of the
   * catalog's dimension, and there must be room ({@link #MAX_APPENDED}).
   */
  public String whyNotAppendable(Item item) {
    if (ordinalOf(item.externalId()) >= 0) {
      return "item_id: item '"
          + item.externalId()
          + "' is already in the catalog (only new items carry details)";
    }
    if (!item.categoryPath().isEmpty() && categoryOrdinalOf(item.categoryPath()) < 0) {
      return "category: '"
          + item.categoryPath()
          + "' is not a category of this catalog (new categories come"
          + " with the next magpie load)";
    }
    if (item.hasPrice() && currencyOrdinalOf(item.currency()) < 0) {
      return "currency: '"
          + item.currency()
          + "' is not a currency of this catalog "
          + currencyCodes();
    }
    if (item.hasVector() && item.vector().length != vectorDimension()) {
      return vectorDimension() == 0
          ? "vector: this catalog has no vectors"
          : "vector: "
              + item.vector().length
              + " dimensions, the catalog's have "
              + vectorDimension();
    }
    if (appended.state().count() >= MAX_APPENDED) {
      return "item_id: "
          + MAX_APPENDED
          + " items were added since the snapshot was built; fold them in with"
          + " magpie load --base before adding more";
    }
    return null;
  }

  /** A writer preparing the epoch after this one; the live layer's, one at a time. */
  public Writer writer() {
    return new Writer(this);
  }

  /**
   * Prepares the next epoch of the items: sale facts changed and items added go into copies that no
   * reader sees until {@link #publish()} returns the new epoch. One thread; a writer starts from
   * the epoch it was made from and must be the only one writing after it.
   */
  public static final class Writer implements SaleOverlay.Current {
    private ItemStore current;

    /** Whether a change came after {@link #current} was made: it is made again when next read. */
    private boolean changed;

    private final SaleOverlay.Builder sales;
    private int withdrawn;

    private Writer(ItemStore from) {
      this.current = from;
      this.sales = new SaleOverlay.Builder(from.sales);
      this.withdrawn = from.withdrawn;
    }

    /**
     * The items as the next epoch will show them so far (changes and additions included): for the
     * writer's own checks, never handed to readers.
     */
    public ItemStore pending() {
      if (changed) {
        current = new ItemStore(current, current.appended.state(), sales.peek(), withdrawn);
        changed = false;
      }
      return current;
    }

    /**
     * Sets item {@code ordinal}'s price to {@code minor} units of currency {@code currencyOrdinal}
     * ({@link #currencyOrdinalOf}); in memory only (the write-ahead log makes it durable).
     */
    public void setPrice(int ordinal, long minor, int currencyOrdinal) {
      if (minor < 0 || currencyOrdinal < 0 || currencyOrdinal >= current.currencies.size()) {
        throw new IllegalArgumentException(
            "price " + minor + " in currency ordinal " + currencyOrdinal);
      }
      SaleOverlay.Page page = sales.writable(ordinal, this);
      page.price[SaleOverlay.slot(ordinal)] = minor;
      page.currency[SaleOverlay.slot(ordinal)] = (short) currencyOrdinal;
      refresh();
    }

    /**
     * Sets item {@code ordinal}'s units in stock ({@link Item#UNKNOWN_STOCK} or more); in memory
     * only.
     */
    public void setStock(int ordinal, int units) {
      if (units < Item.UNKNOWN_STOCK) {
        throw new IllegalArgumentException("stock " + units);
      }
      sales.writable(ordinal, this).stock[SaleOverlay.slot(ordinal)] = units;
      refresh();
    }

    /** Withdraws item {@code ordinal} from sale, or lists it again; in memory only. */
    public void setWithdrawn(int ordinal, boolean value) {
      byte before = pending().flags(ordinal);
      byte after = (byte) (value ? before | ItemFlags.WITHDRAWN : before & ~ItemFlags.WITHDRAWN);
      if (after != before) {
        sales.writable(ordinal, this).flags[SaleOverlay.slot(ordinal)] = after;
        withdrawn += value ? 1 : -1;
        refresh();
      }
    }

    /**
     * Why {@code item} cannot be added live, as "field: problem" (the field named as the API names
     * it), or null when it can: its id must be new, its category one of this catalog's (new
     * categories come with the next snapshot), its currency one of the catalog's, its vector of the
     * catalog's dimension, and there must be room ({@link #MAX_APPENDED}).
     */
    public String whyNotAppendable(Item item) {
      return pending().whyNotAppendable(item);
    }

    /**
     * Adds {@code item} (checked by {@link #whyNotAppendable}) after the last ordinal and returns
     * its ordinal; readers see it from the epoch {@link #publish()} returns. In memory only (the
     * write-ahead log makes it durable).
     */
    public int append(Item item) {
      String why = whyNotAppendable(item);
      if (why != null) {
        throw new IllegalArgumentException(why);
      }
      byte bits =
          (byte)
              ((item.hasVector() ? ItemFlags.HAS_VECTOR : 0)
                  | (item.sponsored() ? ItemFlags.SPONSORED : 0));
      int categoryOrdinal =
          item.categoryPath().isEmpty() ? -1 : pending().categoryOrdinalOf(item.categoryPath());
      short currencyOrdinal =
          (short) (item.hasPrice() ? pending().currencyOrdinalOf(item.currency()) : -1);
      int ordinal =
          current.appended.append(
              item,
              current.brandIndex.ordinalOf(item.brand()),
              categoryOrdinal,
              currencyOrdinal,
              bits);
      refresh();
      return ordinal;
    }

    /** The epoch with every change so far, for readers; later changes go into the next one. */
    public ItemStore publish() {
      current = new ItemStore(current, current.appended.state(), sales.publish(), withdrawn);
      changed = false;
      return current;
    }

    /** Notes a change: the writer's next read sees it (it reads its own writes). */
    private void refresh() {
      changed = true;
    }

    @Override
    public long price(int ordinal) {
      return pending().priceMinor(ordinal);
    }

    @Override
    public short currency(int ordinal) {
      return (short) pending().currencyOrdinal(ordinal);
    }

    @Override
    public int stock(int ordinal) {
      return pending().stock(ordinal);
    }

    @Override
    public byte flags(int ordinal) {
      return pending().flags(ordinal);
    }
  }
}
