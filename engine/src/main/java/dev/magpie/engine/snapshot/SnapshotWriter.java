package dev.magpie.engine.snapshot;

import dev.magpie.engine.behaviour.BehaviourFile;
import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.engine.behaviour.PopularityRanking;
import dev.magpie.engine.behaviour.ShardBehaviour;
import dev.magpie.engine.behaviour.UserHistories;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.io.ChecksummedFileWriter.WrittenFile;
import dev.magpie.engine.io.FileOps;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.knowledge.KnowledgeFile;
import dev.magpie.engine.shard.Shard;
import dev.magpie.engine.store.ColumnType;
import dev.magpie.engine.store.FixedWidthColumn;
import dev.magpie.engine.store.FixedWidthColumnWriter;
import dev.magpie.engine.store.StringColumn;
import dev.magpie.engine.store.StringColumnWriter;
import dev.magpie.engine.store.StringHashIndex;
import dev.magpie.engine.text.BackgroundTextIndexer;
import dev.magpie.engine.text.CatalogStatistics;
import dev.magpie.engine.text.ProductAnalyzer;
import dev.magpie.engine.text.TextIndex;
import dev.magpie.engine.text.TextIndexWriter;
import dev.magpie.engine.vector.VectorIndex;
import dev.magpie.engine.vector.VectorIndexBuilder;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;
import java.util.function.LongConsumer;
import org.eclipse.collections.impl.list.mutable.primitive.FloatArrayList;

/**
 * Writes one snapshot version into an empty directory, streaming: each {@link #add(Item)} appends
 * to every column file, so memory stays flat in the item count apart from the dictionaries and 8
 * bytes per string value of offsets. {@link #finish} writes dictionaries, hash indexes and, last,
 * the manifest. Items get ordinals 0, 1, 2, ... in the order added; external ids must be unique
 * (the loader rejects duplicates before they get here).
 *
 * <p>Not thread-safe. Closing without finishing leaves a directory with no manifest, which is never
 * opened.
 */
public final class SnapshotWriter implements Closeable {
  /** Seed of the hash indexes' hash; fixed so that builds are repeatable. */
  static final long HASH_SEED = 0x6D61677069650001L;

  private final Path dir;
  private final int version;
  private final List<WrittenFile> written = new ArrayList<>();
  private final List<Closeable> open = new ArrayList<>();
  private final StringColumnWriter ids;
  private final StringColumnWriter titles;
  private final StringColumnWriter descriptions;
  private final FixedWidthColumnWriter brand;
  private final FixedWidthColumnWriter category;
  private final FixedWidthColumnWriter price;
  private final FixedWidthColumnWriter currency;
  private final FixedWidthColumnWriter stock;
  private final FixedWidthColumnWriter rating;
  private final FixedWidthColumnWriter flags;

  /** Each item's rating, kept for the popularity ranking written beside the behaviour model. */
  private final FloatArrayList ratings = new FloatArrayList();

  private final StringColumnWriter attributes;
  private final Dictionary brands = new Dictionary();
  private final Dictionary categories = new Dictionary();
  private final List<Integer> categoryParents = new ArrayList<>();
  private final Dictionary currencies = new Dictionary();
  private final Dictionary attributeKeys = new Dictionary();
  private final ProductAnalyzer analyzer;
  private final BackgroundTextIndexer text;
  private FixedWidthColumnWriter vectors;
  private Knowledge knowledge = Knowledge.EMPTY;
  private BehaviourModel behaviour;
  private Interactions histories;
  private int historyLimit;
  private IntPredicate historyUsers;
  private IntToLongFunction historyRefs;
  private int historyShards;
  private ShardBehaviour shardBehaviour;
  private int dimension;
  private long items;
  private final BitSet withVector = new BitSet();
  private VectorIndexBuilder vectorIndex = VectorIndexBuilder.defaults();
  private LongConsumer vectorProgress = linked -> {};
  private boolean finished;
  private FileOps ops = FileOps.DEFAULT;

  /** The shard this snapshot is, or null. */
  private Shard shard;

  /** On a shard: each item's position in the whole catalog. */
  private FixedWidthColumnWriter positions;

  /** The text index's files, once written. */
  private List<TextIndexWriter.IndexFile> textFiles;

  private SnapshotWriter(Path dir, int version, ProductAnalyzer.Stemming stemming)
      throws IOException {
    this.dir = dir;
    this.version = version;
    Files.createDirectories(dir.resolve("items"));
    ids = track(StringColumnWriter.create(dir.resolve(SnapshotLayout.IDS)));
    titles = track(StringColumnWriter.create(dir.resolve(SnapshotLayout.TITLES)));
    descriptions = track(StringColumnWriter.create(dir.resolve(SnapshotLayout.DESCRIPTIONS)));
    brand =
        track(FixedWidthColumnWriter.create(dir.resolve(SnapshotLayout.BRAND), ColumnType.INT32));
    category =
        track(
            FixedWidthColumnWriter.create(dir.resolve(SnapshotLayout.CATEGORY), ColumnType.INT32));
    price =
        track(FixedWidthColumnWriter.create(dir.resolve(SnapshotLayout.PRICE), ColumnType.INT64));
    currency =
        track(
            FixedWidthColumnWriter.create(dir.resolve(SnapshotLayout.CURRENCY), ColumnType.INT16));
    stock =
        track(FixedWidthColumnWriter.create(dir.resolve(SnapshotLayout.STOCK), ColumnType.INT32));
    rating =
        track(
            FixedWidthColumnWriter.create(dir.resolve(SnapshotLayout.RATING), ColumnType.FLOAT32));
    flags =
        track(FixedWidthColumnWriter.create(dir.resolve(SnapshotLayout.FLAGS), ColumnType.INT8));
    attributes = track(StringColumnWriter.create(dir.resolve(SnapshotLayout.ATTRIBUTES)));
    analyzer = new ProductAnalyzer(stemming);
    text = track(new BackgroundTextIndexer(TextIndexWriter.create(dir, analyzer)));
  }

  /** Syncs the version's directories and manifest through {@code fileOps} (its store's). */
  void fileOps(FileOps fileOps) {
    this.ops = fileOps;
  }

  /**
   * Starts writing version {@code version} into {@code dir}, which must be empty or absent.
   *
   * @param vectorDimension the dimension of the catalog's vectors if known, else 0 (the first
   *     vector added fixes it)
   */
  public static SnapshotWriter create(Path dir, int version, int vectorDimension)
      throws IOException {
    return create(dir, version, vectorDimension, TextIndex.DEFAULT_STEMMING);
  }

  /** As {@link #create(Path, int, int)}, analysing text with {@code stemming}. */
  public static SnapshotWriter create(
      Path dir, int version, int vectorDimension, ProductAnalyzer.Stemming stemming)
      throws IOException {
    if (Files.isDirectory(dir)) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new IOException("snapshot directory " + dir + " is not empty");
        }
      }
    }
    SnapshotWriter writer = new SnapshotWriter(dir, version, stemming);
    if (vectorDimension > 0) {
      writer.startVectors(vectorDimension);
    }
    return writer;
  }

  /** The directory being written. */
  public Path dir() {
    return dir;
  }

  /**
   * How the vector index is built at {@link #finish} (default: {@link
   * VectorIndexBuilder#defaults()}), and who hears how many vectors are linked.
   */
  public SnapshotWriter vectorIndex(VectorIndexBuilder builder, LongConsumer progress) {
    this.vectorIndex = builder;
    this.vectorProgress = progress;
    return this;
  }

  /**
   * Makes this snapshot shard {@code shard} of a catalog: each item then comes with its position in
   * the whole catalog ({@link #add(Item, long)}), the manifest records the shard, and {@link
   * #catalogStatistics} must give the catalog's text statistics before {@link #finish}. Call before
   * the first item.
   */
  public void shard(Shard value) throws IOException {
    if (items > 0 || shard != null) {
      throw new IllegalStateException("a snapshot becomes a shard before its first item, once");
    }
    this.shard = Objects.requireNonNull(value, "shard");
    positions =
        track(
            FixedWidthColumnWriter.create(dir.resolve(SnapshotLayout.POSITIONS), ColumnType.INT64));
  }

  /**
   * Adds {@code item}'s brand, category, currency and attribute names to the snapshot's
   * dictionaries without adding the item: a shard's dictionaries then name everything the whole
   * catalog does, in the same order on every shard, so that a brand or category in a query is
   * understood alike on each.
   */
  public void vocabulary(Item item) {
    if (!item.brand().isEmpty()) {
      brands.intern(item.brand());
    }
    if (!item.categoryPath().isEmpty()) {
      internCategory(item.categoryPath());
    }
    if (!item.currency().isEmpty()) {
      currencies.intern(item.currency());
    }
    for (String key : item.attributes().keySet()) {
      attributeKeys.intern(key);
    }
  }

  /**
   * Records the load every shard of the catalog came from and how many items the whole catalog
   * holds; before finishing.
   */
  public void catalog(String build, long count) {
    if (shard == null) {
      throw new IllegalStateException("only a shard belongs to a larger catalog");
    }
    shard = shard.of(build, count);
  }

  /**
   * Starts the vector column at {@code dim} dimensions if no vector has yet: every shard of a
   * catalog carries vectors once any of its items does.
   */
  public void vectorDimension(int dim) throws IOException {
    if (vectors == null) {
      startVectors(dim);
    }
  }

  /**
   * Quantizes this snapshot's vectors with {@code scale} (the whole catalog's) instead of fitting.
   */
  public void quantizerScale(float scale) {
    vectorIndex = vectorIndex.withQuantizerScale(scale);
  }

  /** Items added so far. */
  public long itemCount() {
    return items;
  }

  /**
   * Appends an item and returns its ordinal.
   *
   * @throws IllegalArgumentException if its vector's dimension differs from earlier vectors
   */
  public int add(Item item) throws IOException {
    if (shard != null) {
      throw new IllegalStateException("a shard's items come with their catalog positions");
    }
    return append(item);
  }

  /**
   * Appends an item of a shard ({@link #shard}) and returns its ordinal.
   *
   * @param position the item's position in the whole catalog, increasing from item to item
   */
  public int add(Item item, long position) throws IOException {
    if (shard == null) {
      throw new IllegalStateException("only a shard's items have catalog positions");
    }
    positions.appendLong(position);
    return append(item);
  }

  private int append(Item item) throws IOException {
    if (items >= Integer.MAX_VALUE) {
      throw new IllegalStateException("a snapshot holds at most " + Integer.MAX_VALUE + " items");
    }
    if (item.hasVector()) {
      if (vectors == null) {
        startVectors(item.vector().length);
      } else if (item.vector().length != dimension) {
        throw new IllegalArgumentException(
            "item "
                + item.externalId()
                + ": vector dimension "
                + item.vector().length
                + ", the snapshot's is "
                + dimension);
      }
    }
    ids.add(item.externalId());
    titles.add(item.title());
    descriptions.add(item.description());
    brand.appendInt(item.brand().isEmpty() ? -1 : brands.intern(item.brand()));
    category.appendInt(item.categoryPath().isEmpty() ? -1 : internCategory(item.categoryPath()));
    price.appendLong(item.priceMinor());
    currency.appendShort(
        item.currency().isEmpty() ? -1 : (short) currencies.intern(item.currency()));
    stock.appendInt(item.stock());
    rating.appendFloat(item.rating());
    ratings.add(item.rating());
    flags.appendByte(
        (byte)
            ((item.hasVector() ? ItemFlags.HAS_VECTOR : 0)
                | (item.sponsored() ? ItemFlags.SPONSORED : 0)));
    attributes.add(AttributeCodec.encode(item.attributes(), attributeKeys::intern));
    text.add(item);
    if (vectors != null) {
      if (item.hasVector()) {
        vectors.appendFloats(item.vector());
        withVector.set((int) items);
      } else {
        vectors.appendZeros();
      }
    }
    return (int) items++;
  }

  /**
   * Sets the behaviour model to store with the catalog, over the items' ordinals (the order added);
   * checked against the item count when finishing.
   */
  public void behaviour(BehaviourModel value) {
    this.behaviour = Objects.requireNonNull(value, "behaviour");
  }

  /**
   * Sets the interaction log whose users' latest {@code limit} events to store as their histories
   * ({@link UserHistories}), over the items' ordinals; checked against the item count when
   * finishing.
   */
  public void userHistories(Interactions log, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("history limit must be at least 1, got " + limit);
    }
    this.histories = Objects.requireNonNull(log, "log");
    this.historyLimit = limit;
  }

  /**
   * For a shard: sets the catalog-wide interaction log whose users {@code users} accepts (those the
   * shard is home to) to store, their latest {@code limit} events each, items named by {@code
   * refOf} ({@link UserHistories#REFS_PATH}).
   *
   * @param shards the catalog's shard count
   */
  public void shardUserHistories(
      Interactions log, int limit, IntPredicate users, IntToLongFunction refOf, int shards) {
    userHistories(log, limit);
    this.historyUsers = Objects.requireNonNull(users, "users");
    this.historyRefs = Objects.requireNonNull(refOf, "refOf");
    this.historyShards = shards;
  }

  /**
   * For a shard: sets its part of the catalog's behaviour ({@link ShardBehaviour}), checked against
   * the item and category counts when finishing.
   */
  public void shardBehaviour(ShardBehaviour value) {
    this.shardBehaviour = Objects.requireNonNull(value, "shard behaviour");
  }

  /** The ordinal of category {@code path} among those taken so far, or -1. */
  public int categoryOrdinalOf(String path) {
    return categories.ordinalOf(path);
  }

  /** The parent of category {@code category}, or -1 for a root. */
  public int categoryParent(int category) {
    return categoryParents.get(category);
  }

  /** Categories taken so far (each prefix of each path counted). */
  public int categoryCount() {
    return categoryParents.size();
  }

  /** Sets the product knowledge to store with the catalog. */
  public void knowledge(Knowledge value) {
    this.knowledge = Objects.requireNonNull(value, "knowledge");
  }

  /** Interns a category path and all its prefixes, so that every category knows its parent. */
  private int internCategory(String path) {
    int known = categories.ordinalOf(path);
    if (known >= 0) {
      return known;
    }
    int cut = path.lastIndexOf(Item.CATEGORY_SEPARATOR);
    int parent = cut < 0 ? -1 : internCategory(path.substring(0, cut));
    int ordinal = categories.intern(path);
    categoryParents.add(parent);
    return ordinal;
  }

  private void startVectors(int dim) throws IOException {
    Files.createDirectories(dir.resolve("vectors"));
    dimension = dim;
    vectors =
        track(
            FixedWidthColumnWriter.create(
                dir.resolve(SnapshotLayout.VECTORS), ColumnType.FLOAT32, dim));
    for (long i = 0; i < items; i++) {
      vectors.appendZeros();
    }
  }

  /**
   * Finishes the text index (merged to one segment and committed) ahead of {@link #finish}, so that
   * the catalog's statistics can be taken over every shard's index.
   *
   * @return the index's directory
   */
  public Path finishText() throws IOException {
    if (textFiles == null) {
      textFiles = new ArrayList<>(text.finish());
    }
    return dir.resolve(TextIndexWriter.DIR);
  }

  /**
   * Stores the whole catalog's text statistics in this shard ({@link CatalogStatistics}), copied
   * from {@code file}; after {@link #finishText()}.
   */
  public void catalogStatistics(Path file) throws IOException {
    if (shard == null || textFiles == null) {
      throw new IllegalStateException("catalog statistics go into a shard after its text index");
    }
    textFiles.add(CatalogStatistics.copy(file, dir.resolve(TextIndexWriter.DIR)));
  }

  /**
   * Writes the remaining files and the manifest, and forces the directory to disk.
   *
   * @param build build parameters and provenance to record (source file, format, rejected rows...)
   */
  public Manifest finish(Map<String, String> build) throws IOException {
    if (finished) {
      throw new IllegalStateException("snapshot " + dir + " is already finished");
    }
    written.add(ids.finish());
    written.add(titles.finish());
    written.add(descriptions.finish());
    written.add(brand.finish());
    written.add(category.finish());
    written.add(price.finish());
    written.add(currency.finish());
    written.add(stock.finish());
    written.add(rating.finish());
    written.add(flags.finish());
    written.add(attributes.finish());
    if (shard != null) {
      if (textFiles == null
          || textFiles.stream().noneMatch(f -> f.path().equals(CatalogStatistics.PATH))) {
        throw new IllegalStateException(shard + " was finished without the catalog's statistics");
      }
      written.add(positions.finish());
    }
    Map<String, String> vectorBuild = new LinkedHashMap<>();
    if (vectors != null) {
      written.add(vectors.finish());
      buildVectorIndex(vectorBuild);
    }
    writeDictionary(SnapshotLayout.BRANDS, brands);
    writeDictionary(SnapshotLayout.CATEGORIES, categories);
    writeDictionary(SnapshotLayout.CURRENCIES, currencies);
    writeDictionary(SnapshotLayout.ATTRIBUTE_KEYS, attributeKeys);
    try (FixedWidthColumnWriter parents =
        FixedWidthColumnWriter.create(
            dir.resolve(SnapshotLayout.CATEGORY_PARENTS), ColumnType.INT32)) {
      for (int parent : categoryParents) {
        parents.appendInt(parent);
      }
      written.add(parents.finish());
    }
    writeIndex(SnapshotLayout.IDS, SnapshotLayout.ID_INDEX);
    writeIndex(SnapshotLayout.BRANDS, SnapshotLayout.BRAND_INDEX);
    writeIndex(SnapshotLayout.CATEGORIES, SnapshotLayout.CATEGORY_INDEX);
    finishText();
    Path knowledgeFile = dir.resolve(KnowledgeFile.PATH);
    WrittenFile knowledgeWritten = KnowledgeFile.write(knowledgeFile, knowledge);
    Map<String, String> behaviourBuild = new LinkedHashMap<>();
    if (behaviour != null) {
      if (behaviour.items() != items) {
        throw new IllegalStateException(
            "the behaviour model covers "
                + behaviour.items()
                + " items, the snapshot has "
                + items);
      }
      written.add(BehaviourFile.write(dir.resolve(BehaviourFile.PATH), behaviour));
      written.add(writeRanking(behaviour));
      behaviourBuild.putAll(BehaviourFile.buildParameters(behaviour.parameters()));
      behaviourBuild.put("behaviour.latest", Long.toString(behaviour.latest()));
    }
    if (histories != null) {
      if (historyRefs == null && histories.itemCount() != items) {
        throw new IllegalStateException(
            "the user histories cover "
                + histories.itemCount()
                + " items, the snapshot has "
                + items);
      }
      IntPredicate kept = historyUsers == null ? u -> true : historyUsers;
      Files.createDirectories(dir.resolve(UserHistories.PATH).getParent());
      try (StringColumnWriter out = StringColumnWriter.create(dir.resolve(UserHistories.IDS))) {
        for (int u = 0; u < histories.users(); u++) {
          if (kept.test(u)) {
            out.add(histories.userId(u));
          }
        }
        written.add(out.finish());
      }
      writeIndex(UserHistories.IDS, UserHistories.ID_INDEX);
      written.add(
          historyRefs == null
              ? UserHistories.write(dir.resolve(UserHistories.PATH), histories, historyLimit)
              : UserHistories.writeRefs(
                  dir.resolve(UserHistories.REFS_PATH),
                  histories,
                  historyLimit,
                  kept,
                  historyRefs,
                  historyShards));
      behaviourBuild.put("histories.limit", Integer.toString(historyLimit));
    }
    if (shardBehaviour != null) {
      if (shardBehaviour.items() != items || shardBehaviour.categories() != categories.size()) {
        throw new IllegalStateException(
            "the shard's behaviour covers "
                + shardBehaviour.items()
                + " items and "
                + shardBehaviour.categories()
                + " categories, the snapshot has "
                + items
                + " and "
                + categories.size());
      }
      written.add(ShardBehaviour.write(dir.resolve(ShardBehaviour.PATH), shardBehaviour));
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("brands", (long) brands.size());
    counts.put("categories", (long) categories.size());
    counts.put("currencies", (long) currencies.size());
    counts.put("attributeKeys", (long) attributeKeys.size());
    counts.put("vectors", (long) withVector.cardinality());
    counts.put("relations", (long) knowledge.relations().size());
    counts.put("synonymGroups", (long) knowledge.synonyms().size());
    counts.put("rewrites", (long) knowledge.rewrites().size());
    if (behaviour != null) {
      counts.put("togetherEdges", (long) behaviour.together().edges());
      counts.put("complementEdges", (long) behaviour.complements().edges());
    }
    if (histories != null) {
      long users = 0;
      for (int u = 0; u < histories.users(); u++) {
        users += historyUsers == null || historyUsers.test(u) ? 1 : 0;
      }
      counts.put("users", users);
    }
    List<Manifest.FileEntry> files = new ArrayList<>();
    for (WrittenFile f : written) {
      String relative = dir.relativize(f.path()).toString().replace('\\', '/');
      files.add(
          new Manifest.FileEntry(relative, f.length(), f.checksum(), Manifest.FileEntry.CRC32C));
    }
    files.add(
        new Manifest.FileEntry(
            KnowledgeFile.PATH,
            knowledgeWritten.length(),
            knowledgeWritten.checksum(),
            Manifest.FileEntry.WHOLE_FILE_CRC32C));
    for (TextIndexWriter.IndexFile f : textFiles) {
      files.add(
          new Manifest.FileEntry(
              f.path(), f.length(), f.checksum(), Manifest.FileEntry.LUCENE_CRC32));
    }
    Map<String, String> buildWithText = new LinkedHashMap<>(build);
    buildWithText.put(TextIndex.STEMMING_PARAMETER, analyzer.stemming().name());
    buildWithText.putAll(vectorBuild);
    buildWithText.putAll(behaviourBuild);
    if (shard != null) {
      buildWithText.putAll(shard.buildParameters());
    }
    Manifest manifest =
        new Manifest(
            version,
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
            items,
            dimension,
            counts,
            buildWithText,
            files);
    ops.fsyncDirectory(dir.resolve("items"));
    ops.fsyncDirectory(dir.resolve(TextIndexWriter.DIR));
    ops.fsyncDirectory(knowledgeFile.getParent());
    if (vectors != null) {
      ops.fsyncDirectory(dir.resolve("vectors"));
    }
    if (behaviour != null || histories != null) {
      ops.fsyncDirectory(dir.resolve(BehaviourFile.PATH).getParent());
    }
    manifest.write(dir.resolve(SnapshotLayout.MANIFEST), ops);
    ops.fsyncDirectory(dir);
    finished = true;
    return manifest;
  }

  /**
   * Quantizes the vectors just written and builds the HNSW graph over them, in {@code vectors/}.
   */
  private void buildVectorIndex(Map<String, String> build) throws IOException {
    try (Arena arena = Arena.ofShared()) {
      FixedWidthColumn floats =
          FixedWidthColumn.open(
              dir.resolve(SnapshotLayout.VECTORS), arena, ColumnType.FLOAT32, dimension, false);
      VectorIndexBuilder.Built built =
          vectorIndex.build(
              dir.resolve(VectorIndex.DIR),
              floats.file().body(),
              (int) items,
              dimension,
              withVector::get,
              vectorProgress);
      written.addAll(built.files());
      build.put("vector.similarity", vectorIndex.similarity().name());
      build.put("vector.quantization", "int8");
      build.put("vector.scale", Float.toString(built.scale()));
      build.put("hnsw.m", Integer.toString(vectorIndex.params().m()));
      build.put("hnsw.efConstruction", Integer.toString(vectorIndex.params().efConstruction()));
      build.put("hnsw.seed", Long.toString(vectorIndex.params().seed()));
      build.put("hnsw.levels", Integer.toString(built.levels()));
      build.put("hnsw.linked", Integer.toString(built.linked()));
      build.put("hnsw.buildSeconds", String.format(Locale.ROOT, "%.1f", built.seconds()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while building the vector index");
    }
  }

  private void writeDictionary(String name, Dictionary dictionary) throws IOException {
    try (StringColumnWriter out = StringColumnWriter.create(dir.resolve(name))) {
      for (String value : dictionary.values()) {
        out.add(value);
      }
      written.add(out.finish());
    }
  }

  private void writeIndex(String keysName, String indexName) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      StringColumn keys = StringColumn.open(dir.resolve(keysName), arena, false);
      written.add(StringHashIndex.write(dir.resolve(indexName), keys, HASH_SEED));
    }
  }

  /** Closes any file still open; an unfinished version stays without a manifest. */
  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Closeable c : open) {
      try {
        c.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private <T extends Closeable> T track(T closeable) {
    open.add(closeable);
    return closeable;
  }

  /** The popularity ranking of the items under {@code model} ({@link PopularityRanking#PATH}). */
  private WrittenFile writeRanking(BehaviourModel model) throws IOException {
    int[] order =
        PopularityRanking.order((int) items, i -> model.stats().popularity(i), ratings::get);
    try (FixedWidthColumnWriter ranking =
        FixedWidthColumnWriter.create(dir.resolve(PopularityRanking.PATH), ColumnType.INT32)) {
      for (int item : order) {
        ranking.appendInt(item);
      }
      return ranking.finish();
    }
  }
}
