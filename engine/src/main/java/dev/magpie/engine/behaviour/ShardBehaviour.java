package dev.magpie.engine.behaviour;

import dev.magpie.engine.io.ChecksummedFileWriter;
import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.io.MappedFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a shard knows of the whole catalog's behaviour beyond its own items' statistics, computed
 * when the catalog is loaded (every shard's part of one computation over all items), so that its
 * recommendation candidates are cut as one store's would be: each own item's catalog-wide
 * popularity rank; per category the rank just past the catalog's top {@value #TOP_PER_CATEGORY}
 * (its items among them are the category's popular items); the exploration pool's layout (per
 * category, how many items with little history the catalog has, and each own pool item's index
 * among them); and its own items' relation rows to neighbours anywhere ({@link ShardRelations}).
 * One file, {@value #PATH}, in the common envelope, every section on an 8-byte boundary:
 *
 * <pre>
 *  section                        type
 *  +------------------------------------------------------------------------+
 *  | catalog items                int64          items of the whole catalog   |
 *  | ranks                        int64[n]       catalog-wide popularity rank |
 *  | category cuts                int64[c]       rank past the category's top |
 *  | pool bucket sizes            int64[c + 1]   catalog-wide; last: no category |
 *  | pool index                   int64[n]       index in its bucket, -1: none |
 *  | together: offsets            int32[n + 1]   (see ShardRelations)         |
 *  |           refs               int64[e1]                                   |
 *  |           weights            float32[e1]                                 |
 *  | complements: offsets, refs, weights (e2 edges)                           |
 *  +------------------------------------------------------------------------+
 *  parameters: n (the shard's items), c (categories), e1, e2
 * </pre>
 */
public final class ShardBehaviour {
  /** Path inside a snapshot version. */
  public static final String PATH = "behaviour/shard.bin";

  /** File kind in the header. */
  public static final String KIND = "shard-behaviour";

  /** Format version. */
  public static final int VERSION = 1;

  /** The popular items kept per category (the catalog's top). */
  public static final int TOP_PER_CATEGORY = 20;

  private static final ValueLayout.OfLong LONG =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final long catalogItems;
  private final MemorySegment ranks;
  private final MemorySegment cuts;
  private final MemorySegment buckets;
  private final MemorySegment pool;
  private final ShardRelations together;
  private final ShardRelations complements;

  private ShardBehaviour(
      long catalogItems,
      MemorySegment ranks,
      MemorySegment cuts,
      MemorySegment buckets,
      MemorySegment pool,
      ShardRelations together,
      ShardRelations complements) {
    this.catalogItems = catalogItems;
    this.ranks = ranks;
    this.cuts = cuts;
    this.buckets = buckets;
    this.pool = pool;
    this.together = together;
    this.complements = complements;
  }

  /** A shard's behaviour from arrays (copied into heap segments); see the class comment. */
  public static ShardBehaviour of(
      long catalogItems,
      long[] ranks,
      long[] cuts,
      long[] bucketSizes,
      long[] poolIndex,
      ShardRelations together,
      ShardRelations complements) {
    if (ranks.length != poolIndex.length
        || bucketSizes.length != cuts.length + 1
        || together.items() != ranks.length
        || complements.items() != ranks.length) {
      throw new IllegalArgumentException(
          "shard behaviour: "
              + ranks.length
              + " ranks, "
              + poolIndex.length
              + " pool indices, "
              + cuts.length
              + " cuts, "
              + bucketSizes.length
              + " buckets, rows for "
              + together.items()
              + " and "
              + complements.items());
    }
    return new ShardBehaviour(
        catalogItems,
        segment(ranks),
        segment(cuts),
        segment(bucketSizes),
        segment(poolIndex),
        together,
        complements);
  }

  private static MemorySegment segment(long[] values) {
    MemorySegment s = MemorySegment.ofArray(new byte[values.length * Long.BYTES]);
    MemorySegment.copy(values, 0, s, LONG, 0, values.length);
    return s;
  }

  /** Writes {@code b} to {@code file}; the caller lists it in the manifest. */
  public static ChecksummedFileWriter.WrittenFile write(Path file, ShardBehaviour b)
      throws IOException {
    Files.createDirectories(file.getParent());
    try (ChecksummedFileWriter out = ChecksummedFileWriter.create(file, KIND, VERSION)) {
      out.writeLong(b.catalogItems);
      for (MemorySegment s : new MemorySegment[] {b.ranks, b.cuts, b.buckets, b.pool}) {
        out.writeSegment(s);
        out.alignTo(8);
      }
      for (ShardRelations r : new ShardRelations[] {b.together, b.complements}) {
        out.writeSegment(r.offsets());
        out.alignTo(8);
        out.writeSegment(r.refs());
        out.alignTo(8);
        out.writeSegment(r.weights());
        out.alignTo(8);
      }
      return out.finish(b.items(), b.categories(), b.together.edges(), b.complements.edges());
    }
  }

  /**
   * Maps {@code file}, verifying its envelope (and checksum when {@code verifyChecksum}), that it
   * covers the snapshot's {@code items} items and {@code categories} categories, and its rows.
   *
   * @throws CorruptFileException naming what does not match
   */
  public static ShardBehaviour open(
      Path file, Arena arena, boolean verifyChecksum, int items, int categories)
      throws IOException {
    MappedFile mapped = MappedFile.open(file, arena, KIND, VERSION, verifyChecksum);
    long n = mapped.param(0);
    long c = mapped.param(1);
    long e1 = mapped.param(2);
    long e2 = mapped.param(3);
    mapped.require(n == items, "shard behaviour for " + n + " items, the snapshot has " + items);
    mapped.require(
        c == categories,
        "shard behaviour for " + c + " categories, the snapshot has " + categories);
    mapped.require(
        e1 >= 0 && e2 >= 0 && e1 <= Integer.MAX_VALUE && e2 <= Integer.MAX_VALUE,
        "edge counts " + e1 + " and " + e2);
    MemorySegment body = mapped.body();
    long[] at = {0};
    try {
      long catalog = BehaviourFile.section(body, at, 8).get(LONG, 0);
      mapped.require(catalog >= n, "a catalog of " + catalog + " items under a shard of " + n);
      MemorySegment ranks = BehaviourFile.section(body, at, n * 8);
      MemorySegment cuts = BehaviourFile.section(body, at, c * 8);
      MemorySegment buckets = BehaviourFile.section(body, at, (c + 1) * 8);
      MemorySegment pool = BehaviourFile.section(body, at, n * 8);
      ShardRelations[] relations = new ShardRelations[2];
      long[] edges = {e1, e2};
      for (int r = 0; r < 2; r++) {
        MemorySegment offsets = BehaviourFile.section(body, at, (n + 1) * 4);
        MemorySegment refs = BehaviourFile.section(body, at, edges[r] * 8);
        MemorySegment weights = BehaviourFile.section(body, at, edges[r] * 4);
        relations[r] = new ShardRelations(offsets, refs, weights);
      }
      mapped.require(
          at[0] == body.byteSize(),
          "body has " + body.byteSize() + " bytes, the sections " + at[0]);
      ShardBehaviour b =
          new ShardBehaviour(catalog, ranks, cuts, buckets, pool, relations[0], relations[1]);
      for (int i = 0; i < n; i++) {
        mapped.require(b.rank(i) >= 0 && b.rank(i) < catalog, "item " + i + " ranked " + b.rank(i));
      }
      return b;
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new CorruptFileException(file, e.getMessage());
    }
  }

  /** Items of the whole catalog. */
  public long catalogItems() {
    return catalogItems;
  }

  /** The shard's items. */
  public int items() {
    return (int) (ranks.byteSize() / Long.BYTES);
  }

  /** The catalog's categories (each prefix of each path counted). */
  public int categories() {
    return (int) (cuts.byteSize() / Long.BYTES);
  }

  /** Item {@code item}'s catalog-wide popularity rank, from 0. */
  public long rank(int item) {
    return ranks.getAtIndex(LONG, item);
  }

  /**
   * The rank just past the last of category {@code category}'s (and its subtree's) top {@value
   * #TOP_PER_CATEGORY} items over the whole catalog: Long.MAX_VALUE when it has fewer.
   */
  public long categoryCut(int category) {
    return cuts.getAtIndex(LONG, category);
  }

  /**
   * How many items with little history the whole catalog has in category {@code bucket} (the
   * category's own items, not its subtree's), {@link #categories()} for those without one.
   */
  public long bucketSize(int bucket) {
    return buckets.getAtIndex(LONG, bucket);
  }

  /** Item {@code item}'s index among its bucket's pool items, catalog-wide; -1 if not in it. */
  public long poolIndex(int item) {
    return pool.getAtIndex(LONG, item);
  }

  /** The shard's rows of items seen together. */
  public ShardRelations together() {
    return together;
  }

  /** The shard's rows of directional complements. */
  public ShardRelations complements() {
    return complements;
  }
}
