package dev.magpie.engine.snapshot;

import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.embed.Embedder;
import dev.magpie.engine.embed.ItemText;
import dev.magpie.engine.shard.Shard;
import dev.magpie.engine.shard.ShardFunction;
import dev.magpie.engine.text.BackgroundTextIndexer;
import dev.magpie.engine.text.CatalogStatistics;
import dev.magpie.engine.text.ProductAnalyzer;
import dev.magpie.engine.text.TextIndexWriter;
import dev.magpie.engine.vector.Int8Quantizer;
import dev.magpie.engine.vector.VectorSimilarity;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.eclipse.collections.impl.list.mutable.primitive.FloatArrayList;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

/**
 * Writes the shards of one catalog in one pass over its items: each item goes to the shard {@link
 * ShardFunction} names, with its position in the catalog; every shard's dictionaries take every
 * item's brand, category, currency and attribute names (the same dictionaries, in the same order,
 * on each); and when finishing, every shard gets the whole catalog's text statistics ({@link
 * CatalogStatistics}) and one int8 quantizer scale fitted to a sample of the whole catalog's
 * vectors. A shard is scored, searched and understood as one index over the whole catalog would.
 *
 * <p>Builds all shards, or some of them (one per machine: {@code magpie load --shard I/S}); the
 * items of the shards not built are still analysed into a scratch text index, for the statistics,
 * and offered to the vector sample, so that every builder writes the same statistics and scale.
 *
 * <p>The vector sample is the {@link #sampleSize} items with the lowest {@link
 * ShardFunction#sampleHash} of their id: the same items whatever the order they come in or the
 * shards built. Sampled items of unbuilt shards that bring no vector are embedded when finishing.
 * Not thread-safe.
 */
public final class ShardSetWriter implements Closeable {
  private final SnapshotWriter[] writers;
  private final Path scratch;
  private final ProductAnalyzer analyzer;

  /** A running hash of the catalog's ids in order: what names the build on every builder. */
  private long fingerprint = 1;

  private final QuantizerSample sample;

  /** Each catalog position's shard, its ordinal there, rating and category (for behaviour). */
  private final IntArrayList shardOf = new IntArrayList();

  private final IntArrayList localOrdinal = new IntArrayList();
  private final FloatArrayList ratings = new FloatArrayList();
  private final IntArrayList categoryOf = new IntArrayList();
  private final int[] shardSizes;
  private final SnapshotWriter dictionaries;
  private BackgroundTextIndexer others;
  private long position;
  private int dimension;

  /**
   * A writer of the shards of a catalog of {@code writers.length} shards.
   *
   * @param writers a fresh writer for each shard to build, null for each shard built elsewhere
   * @param scratch an empty directory for the other shards' text, deleted by the caller after
   * @param stemming the analysis of every shard's text
   * @param vectorDimension the catalog's vector dimension when known before its first item (it is
   *     when items are embedded), else 0
   */
  public ShardSetWriter(
      SnapshotWriter[] writers,
      Path scratch,
      ProductAnalyzer.Stemming stemming,
      int vectorDimension)
      throws IOException {
    ShardFunction.checkCount(writers.length);
    this.writers = writers.clone();
    this.scratch = scratch;
    this.analyzer = new ProductAnalyzer(stemming);
    this.sample = new QuantizerSample(vectorDimension);
    this.shardSizes = new int[writers.length];
    SnapshotWriter first = null;
    for (int i = 0; i < writers.length; i++) {
      if (writers[i] != null) {
        writers[i].shard(new Shard(i, writers.length, "", 0));
        first = first == null ? writers[i] : first;
      }
    }
    if (first == null) {
      throw new IllegalArgumentException("no shard to build");
    }
    this.dictionaries = first;
  }

  /** Items of the whole catalog added so far. */
  public long itemCount() {
    return position;
  }

  /** Adds the catalog's next item to its shard (or, if that is built elsewhere, to the counts). */
  public void add(Item item) throws IOException {
    if (item.hasVector()) {
      startVectors(item.vector().length);
    }
    for (SnapshotWriter w : writers) {
      if (w != null) {
        w.vocabulary(item);
      }
    }
    int shard = ShardFunction.shardOf(item.externalId(), writers.length);
    SnapshotWriter owner = writers[shard];
    if (owner != null) {
      owner.add(item, position);
    } else {
      others().add(item);
    }
    shardOf.add(shard);
    localOrdinal.add(shardSizes[shard]++);
    ratings.add(item.rating());
    categoryOf.add(
        item.categoryPath().isEmpty() ? -1 : dictionaries.categoryOrdinalOf(item.categoryPath()));
    sample.offer(item);
    fingerprint = fingerprint * 31 + ShardFunction.sampleHash(item.externalId());
    position++;
  }

  /**
   * Gives every shard being built its part of the catalog's behaviour ({@link BehaviourSplit}):
   * {@code model} and {@code log} are over catalog positions (the order items were added), and each
   * shard keeps the latest {@code historyLimit} events of the shoppers it is home to. Without
   * events (both null) each shard still gets the catalog-wide popularity order, by rating.
   *
   * @param poolMaxUsers an item with fewer distinct shoppers is in the exploration pool
   */
  public void behaviour(
      BehaviourModel model, Interactions log, int historyLimit, int poolMaxUsers) {
    if (model != null && (model.items() != position || log.itemCount() != position)) {
      throw new IllegalArgumentException(
          "behaviour over "
              + model.items()
              + " and a log over "
              + log.itemCount()
              + " items, the catalog has "
              + position);
    }
    new BehaviourSplit(
            model,
            shardOf.toArray(),
            localOrdinal.toArray(),
            ratings.toArray(),
            categoryOf.toArray(),
            dictionaries::categoryParent,
            dictionaries.categoryCount(),
            writers.length)
        .into(writers, log, historyLimit, poolMaxUsers);
  }

  /** Whether {@code item}'s shard is one this writer builds. */
  public boolean builds(Item item) {
    return writers[ShardFunction.shardOf(item.externalId(), writers.length)] != null;
  }

  /**
   * The name of this load that every shard records: from the catalog's ids in order and its size,
   * so that builders of different shards reading the same catalog name the same build.
   */
  public String buildId() {
    return String.format(Locale.ROOT, "%016x-%d", fingerprint, position);
  }

  /** Starts every shard's vector column at the first vector. */
  private void startVectors(int dim) throws IOException {
    if (dimension == 0) {
      dimension = dim;
      for (SnapshotWriter w : writers) {
        if (w != null) {
          w.vectorDimension(dim);
        }
      }
    }
  }

  /** The scratch index of the items of shards built elsewhere. */
  private BackgroundTextIndexer others() throws IOException {
    if (others == null) {
      others = new BackgroundTextIndexer(TextIndexWriter.create(scratch, analyzer));
    }
    return others;
  }

  /**
   * Finishes every shard being built: the catalog's statistics and vector scale into each, then its
   * manifest with {@code build} and the shard's own parameters. The caller publishes them.
   *
   * @param embedder embeds sampled items that bring no vector (those of shards built elsewhere), or
   *     null when no item is embedded
   * @return each built shard's manifest by shard number
   */
  public Map<Integer, Manifest> finish(Map<String, String> build, Embedder embedder)
      throws IOException {
    return finish(build, shard -> Map.of(), embedder);
  }

  /**
   * As {@link #finish(Map, Embedder)}, each shard's manifest also recording {@code perShard}'s
   * parameters for it (the offset of its partition of the update log).
   */
  public Map<Integer, Manifest> finish(
      Map<String, String> build, IntFunction<Map<String, String>> perShard, Embedder embedder)
      throws IOException {
    List<IndexReader> parts = new ArrayList<>();
    List<Directory> dirs = new ArrayList<>();
    Map<Integer, Manifest> manifests = new TreeMap<>();
    try {
      for (SnapshotWriter w : writers) {
        if (w != null) {
          parts.add(open(w.finishText(), dirs));
        }
      }
      if (others != null) {
        others.finish();
        parts.add(open(scratch.resolve(TextIndexWriter.DIR), dirs));
      }
      Path statistics = scratch.resolve(CatalogStatistics.FILE);
      Files.createDirectories(scratch);
      CatalogStatistics.write(statistics, parts);
      float scale = dimension == 0 ? 0 : sample.scale(dimension, embedder);
      for (int i = 0; i < writers.length; i++) {
        SnapshotWriter w = writers[i];
        if (w == null) {
          continue;
        }
        w.catalogStatistics(statistics);
        w.catalog(buildId(), position);
        if (scale > 0) {
          w.quantizerScale(scale);
        }
        Map<String, String> own = new LinkedHashMap<>(build);
        own.putAll(perShard.apply(i));
        manifests.put(i, w.finish(own));
      }
      return manifests;
    } finally {
      IOException failure = null;
      for (IndexReader r : parts) {
        try {
          r.close();
        } catch (IOException e) {
          failure = e;
        }
      }
      for (Directory d : dirs) {
        d.close();
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  private static IndexReader open(Path textDir, List<Directory> dirs) throws IOException {
    Directory dir = FSDirectory.open(textDir);
    dirs.add(dir);
    return DirectoryReader.open(dir);
  }

  /** Closes every writer and the scratch index; unfinished shards stay unpublished. */
  @Override
  public void close() throws IOException {
    IOException failure = null;
    for (SnapshotWriter w : writers) {
      if (w != null) {
        try {
          w.close();
        } catch (IOException e) {
          failure = e;
        }
      }
    }
    if (others != null) {
      others.close();
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * The items with the lowest sample hashes, kept with their vectors (or to be embedded): what the
   * catalog-wide quantizer scale is fitted to.
   */
  static final class QuantizerSample {
    /** At most this many values are sampled, as {@link Int8Quantizer#fit} samples. */
    private static final int MAX_VALUES = 4_000_000;

    /** Kept items by sample hash; the value is a float[] vector or the Item to embed. */
    private final TreeMap<Long, Object> kept = new TreeMap<>();

    /** How many items are kept: fixed by the first dimension known, 0 until then. */
    private int limit;

    QuantizerSample(int dimension) {
      limit = dimension > 0 ? Math.max(1, MAX_VALUES / dimension) : 0;
    }

    void offer(Item item) {
      if (limit == 0 && item.hasVector()) {
        limit = Math.max(1, MAX_VALUES / item.vector().length);
      }
      if (limit == 0) {
        return;
      }
      long hash = ShardFunction.sampleHash(item.externalId());
      if (kept.size() >= limit && hash >= kept.lastKey()) {
        return;
      }
      kept.put(hash, item.hasVector() ? item.vector() : item);
      while (kept.size() > limit) {
        kept.pollLastEntry();
      }
    }

    /** The int8 scale fitted to the sample's vectors, under cosine as the shards index them. */
    float scale(int dim, Embedder embedder) {
      List<Item> toEmbed = new ArrayList<>();
      for (Object v : kept.values()) {
        if (v instanceof Item item) {
          toEmbed.add(item);
        }
      }
      List<float[]> embedded = List.of();
      if (!toEmbed.isEmpty() && embedder != null) {
        List<String> texts = new ArrayList<>(toEmbed.size());
        for (Item item : toEmbed) {
          texts.add(ItemText.of(item));
        }
        embedded = embedder.embedAll(texts);
      }
      List<float[]> vectors = new ArrayList<>();
      int next = 0;
      for (Object v : kept.values()) {
        float[] vector =
            v instanceof float[] f ? f : next < embedded.size() ? embedded.get(next++) : null;
        if (vector != null && vector.length == dim && !isZero(vector)) {
          vectors.add(VectorSimilarity.COSINE.prepare(vector));
        }
      }
      return Int8Quantizer.fit(vectors.size(), dim, vectors::get).scale();
    }

    private static boolean isZero(float[] v) {
      for (float x : v) {
        if (x != 0) {
          return false;
        }
      }
      return true;
    }
  }
}
