package dev.magpie.engine.snapshot;

import dev.magpie.engine.behaviour.BehaviourFile;
import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.behaviour.PopularityRanking;
import dev.magpie.engine.behaviour.ShardBehaviour;
import dev.magpie.engine.behaviour.UserHistories;
import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.io.FileFormat;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.knowledge.KnowledgeFile;
import dev.magpie.engine.shard.Shard;
import dev.magpie.engine.store.ColumnType;
import dev.magpie.engine.store.FixedWidthColumn;
import dev.magpie.engine.text.ProductAnalyzer;
import dev.magpie.engine.text.TextIndex;
import dev.magpie.engine.vector.FloatRowsOnDisk;
import dev.magpie.engine.vector.VectorIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One open snapshot version: its manifest and its memory-mapped data. The snapshot owns a shared
 * {@link Arena} holding every mapping; {@link #close()} unmaps them all at once, and any read after
 * that fails with {@link IllegalStateException} instead of touching unmapped memory. Opening checks
 * every file against the manifest (presence, length, footer checksum) and, by default, recomputes
 * every checksum; a half-open snapshot closes what it mapped.
 */
public final class Snapshot implements AutoCloseable {
  private final Path dir;
  private final Manifest manifest;
  private final Arena arena;
  private final TextIndex text;
  private final Knowledge knowledge;
  private final VectorIndex vectors;
  private final BehaviourModel behaviour;
  private final UserHistories histories;
  private final FixedWidthColumn popularityRanking;
  private final ShardBehaviour shardBehaviour;
  private final Views views;

  /** What a snapshot holds of behaviour, each part null when it has none. */
  private record Behaviour(
      BehaviourModel model,
      FixedWidthColumn ranking,
      UserHistories histories,
      ShardBehaviour shard) {}

  private Snapshot(
      Path dir,
      Manifest manifest,
      Arena arena,
      ItemStore items,
      TextIndex text,
      Knowledge knowledge,
      VectorIndex vectors,
      Behaviour behaviour) {
    this.dir = dir;
    this.manifest = manifest;
    this.arena = arena;
    this.text = text;
    this.knowledge = knowledge;
    this.vectors = vectors;
    this.behaviour = behaviour.model();
    this.popularityRanking = behaviour.ranking();
    this.histories = behaviour.histories();
    this.shardBehaviour = behaviour.shard();
    this.views = new Views(this, items, text);
  }

  /**
   * Opens the version directory {@code dir} with full verification.
   *
   * @throws IncompleteSnapshotException if it has no manifest
   * @throws CorruptFileException if any file fails verification, naming the file and the fault
   */
  public static Snapshot open(Path dir) throws IOException {
    return open(dir, SnapshotOpenOptions.DEFAULT);
  }

  /** Opens the version directory {@code dir}. */
  public static Snapshot open(Path dir, SnapshotOpenOptions options) throws IOException {
    Path manifestPath = dir.resolve(SnapshotLayout.MANIFEST);
    Manifest manifest;
    try {
      manifest = Manifest.read(manifestPath);
    } catch (NoSuchFileException e) {
      throw new IncompleteSnapshotException(
          dir, "no " + SnapshotLayout.MANIFEST + ": the snapshot was never finished");
    }
    checkFiles(dir, manifest);
    Arena arena = Arena.ofShared();
    TextIndex text = null;
    boolean success = false;
    try {
      ItemStore items = new ItemStore(dir, arena, manifest, options.verifyChecksums());
      text =
          TextIndex.open(
              dir,
              textStemming(dir, manifest),
              luceneFiles(manifest),
              items.size(),
              options.verifyChecksums());
      Knowledge knowledge =
          manifest.file(KnowledgeFile.PATH) == null
              ? Knowledge.EMPTY
              : KnowledgeFile.read(dir.resolve(KnowledgeFile.PATH));
      String graph = VectorIndex.DIR + "/" + VectorIndex.GRAPH_FILE;
      VectorIndex vectors =
          manifest.file(graph) == null
              ? null
              : VectorIndex.open(
                  dir.resolve(VectorIndex.DIR),
                  arena,
                  items::hasVector,
                  null,
                  options.verifyChecksums());
      if (vectors != null) {
        // Searches read their candidates' floats from the file, one positional read each: the
        // floats (3/4 of the vector bytes) need not stay resident once verified.
        items.vectors().file().release();
        vectors =
            vectors.withRowsOnDisk(
                FloatRowsOnDisk.open(
                    items.vectors().file().path(),
                    FileFormat.HEADER_LENGTH,
                    vectors.vectors().count(),
                    vectors.dim(),
                    arena));
      }
      BehaviourModel behaviour =
          manifest.file(BehaviourFile.PATH) == null
              ? null
              : BehaviourFile.open(
                  dir.resolve(BehaviourFile.PATH),
                  arena,
                  options.verifyChecksums(),
                  items.size(),
                  BehaviourFile.parameters(manifest.build()));
      FixedWidthColumn ranking = null;
      if (behaviour != null && manifest.file(PopularityRanking.PATH) != null) {
        ranking =
            FixedWidthColumn.open(
                dir.resolve(PopularityRanking.PATH),
                arena,
                ColumnType.INT32,
                1,
                options.verifyChecksums());
        ranking
            .file()
            .require(
                ranking.rows() == items.size(),
                ranking.rows() + " ranked items, the snapshot has " + items.size());
      }
      Shard shard = Shard.of(manifest.build());
      UserHistories histories =
          manifest.file(UserHistories.PATH) != null
              ? UserHistories.open(dir, arena, options.verifyChecksums(), items.size())
              : manifest.file(UserHistories.REFS_PATH) != null && shard != null
                  ? UserHistories.openRefs(dir, arena, options.verifyChecksums(), shard.count())
                  : null;
      ShardBehaviour shardBehaviour =
          manifest.file(ShardBehaviour.PATH) == null
              ? null
              : ShardBehaviour.open(
                  dir.resolve(ShardBehaviour.PATH),
                  arena,
                  options.verifyChecksums(),
                  items.snapshotSize(),
                  items.categoryCount());
      Snapshot snapshot =
          new Snapshot(
              dir,
              manifest,
              arena,
              items,
              text,
              knowledge,
              vectors,
              new Behaviour(behaviour, ranking, histories, shardBehaviour));
      success = true;
      return snapshot;
    } finally {
      if (!success) {
        try {
          if (text != null) {
            text.close();
          }
        } finally {
          arena.close();
        }
      }
    }
  }

  /** The analysis the text index was built with, as the manifest records it. */
  private static ProductAnalyzer.Stemming textStemming(Path dir, Manifest manifest)
      throws CorruptFileException {
    String name = manifest.build().getOrDefault(TextIndex.STEMMING_PARAMETER, "PLURALS");
    try {
      return ProductAnalyzer.Stemming.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new CorruptFileException(
          dir.resolve("manifest.json"),
          "unknown " + TextIndex.STEMMING_PARAMETER + " '" + name + "'");
    }
  }

  /** The files the manifest says carry Lucene's own footer checksum: the text index's. */
  private static List<String> luceneFiles(Manifest manifest) {
    List<String> files = new ArrayList<>();
    for (Manifest.FileEntry entry : manifest.files()) {
      if (entry.algorithm().equals(Manifest.FileEntry.LUCENE_CRC32)) {
        files.add(entry.path());
      }
    }
    return files;
  }

  /** Every file the manifest lists must exist with its recorded length and footer checksum. */
  private static void checkFiles(Path dir, Manifest manifest) throws IOException {
    for (Manifest.FileEntry entry : manifest.files()) {
      Path file = dir.resolve(entry.path()).normalize();
      if (!file.startsWith(dir.normalize())) {
        throw new CorruptFileException(
            dir.resolve(SnapshotLayout.MANIFEST),
            "file path '" + entry.path() + "' leaves the snapshot");
      }
      if (!Files.isRegularFile(file)) {
        throw new CorruptFileException(file, "missing (listed in the manifest)");
      }
      long length = Files.size(file);
      if (length != entry.length()) {
        throw new CorruptFileException(
            file, "length " + length + " bytes, the manifest says " + entry.length());
      }
      long stored;
      if (entry.algorithm().equals(Manifest.FileEntry.WHOLE_FILE_CRC32C)) {
        CRC32C crc = new CRC32C();
        crc.update(Files.readAllBytes(file));
        stored = crc.getValue();
      } else {
        ByteOrder order =
            entry.algorithm().equals(Manifest.FileEntry.LUCENE_CRC32)
                ? ByteOrder.BIG_ENDIAN
                : FileFormat.ORDER;
        stored = FooterReader.storedChecksum(file, order);
      }
      if (stored != entry.checksum()) {
        throw new CorruptFileException(
            file,
            String.format(
                "footer checksum %08x, the manifest says %08x", stored, entry.checksum()));
      }
    }
  }

  /** The version directory. */
  public Path dir() {
    return dir;
  }

  /** The manifest. */
  public Manifest manifest() {
    return manifest;
  }

  /**
   * The items as of the current epoch ({@link Views#acquire()}'s items, without holding the view):
   * for code that serves no live updates, or reads only what never changes. A request that must see
   * one epoch in every channel reads {@code views().acquire().items()} instead.
   */
  public ItemStore items() {
    return views.current().items();
  }

  /** The point-in-time views of this snapshot and its live updates. */
  public Views views() {
    return views;
  }

  /** The text index: BM25 over the items, document id = item ordinal. */
  public TextIndex text() {
    return text;
  }

  /** The product knowledge loaded with the catalog (empty when none was given). */
  public Knowledge knowledge() {
    return knowledge;
  }

  /** The vector index (HNSW over int8 codes), or null when the catalog has no vectors. */
  public VectorIndex vectors() {
    return vectors;
  }

  /**
   * The behaviour model loaded with the catalog, mapped off-heap (valid until {@link #close()}), or
   * null when the snapshot was loaded without events.
   */
  public BehaviourModel behaviour() {
    return behaviour;
  }

  /**
   * Each user's latest events from the log loaded with the catalog, mapped off-heap (valid until
   * {@link #close()}), or null when the snapshot was loaded without events.
   */
  public UserHistories userHistories() {
    return histories;
  }

  /**
   * The items' popularity ranking computed when the snapshot was written ({@link
   * PopularityRanking}: the item ordinal at each rank, mapped), or null when the snapshot was
   * loaded without events or written before rankings were stored.
   */
  public FixedWidthColumn popularityRanking() {
    return popularityRanking;
  }

  /**
   * A shard's part of the catalog-wide behaviour ({@link ShardBehaviour}), mapped off-heap, or null
   * on a single node or a shard loaded without events.
   */
  public ShardBehaviour shardBehaviour() {
    return shardBehaviour;
  }

  /** Unmaps every file; reads after this fail. */
  @Override
  public void close() {
    try {
      views.close();
      text.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing the text index of " + dir, e);
    } finally {
      arena.close();
    }
  }
}
