package dev.magpie.engine.text;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.io.CorruptFileException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogDocMergePolicy;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.MMapDirectory;

/**
 * The text index of an open snapshot: one Lucene segment, memory-mapped through {@link
 * MMapDirectory}, whose document ids are the item ordinals (so a hit needs no lookup table), and
 * the items added live since, in a small near-real-time index on the heap whose segments follow the
 * snapshot's in one {@link MultiReader}: their document ids are their ordinals too (documents are
 * only appended and {@link LogDocMergePolicy} merges neighbouring segments only, so the order
 * holds). Owns its readers, writer and directories; {@link #close()} releases them. Thread-safe for
 * searching; {@link #append} and {@link #refresh} belong to one writer.
 *
 * <p>A refresh publishes a new {@link Reading} (a reader and its searcher) and gives up the index's
 * reference on the one before; whoever still reads that one holds its own reference ({@link
 * Reading#acquire()}, {@link Reading#release()}), and the reader closes when the last is given back
 * (Lucene's reference counting), exactly once.
 */
public final class TextIndex implements Closeable {
  /** Build parameter naming the stemming the index was analysed with. */
  public static final String STEMMING_PARAMETER = "text.stemming";

  /** The stemming new snapshots are built with. */
  public static final ProductAnalyzer.Stemming DEFAULT_STEMMING = ProductAnalyzer.Stemming.PLURALS;

  /**
   * A reader over the snapshot's segment and the added items' segments as of one refresh, and its
   * searcher. Hold it with {@link #acquire()} for as long as it is searched and {@link #release()}
   * it after.
   */
  public record Reading(IndexReader reader, IndexSearcher searcher) {
    /** Takes a reference on the reader, so that it stays open until {@link #release()}. */
    public void acquire() {
      reader.incRef();
    }

    /** Gives the reference back; the last one closes the reader. */
    public void release() throws IOException {
      reader.decRef();
    }
  }

  private final Directory directory;
  private final DirectoryReader snapshotReader;
  private final ProductAnalyzer analyzer;

  /** The whole catalog's text statistics on a shard, else null. */
  private final CatalogStatistics catalog;

  /** Documents of the catalog on other shards (0 when unsharded). */
  private final long otherShardsDocs;

  /** The latest reading; the index holds one reference on its reader until the next refresh. */
  private volatile Reading view;

  // The added items' index; created by the first append, written by the live writer only.
  private Directory appendedDirectory;
  private IndexWriter appendedWriter;
  private DirectoryReader appendedReader;
  private int appended;

  private TextIndex(
      Directory directory,
      DirectoryReader reader,
      ProductAnalyzer analyzer,
      CatalogStatistics catalog)
      throws IOException {
    this.directory = directory;
    this.catalog = catalog;
    this.otherShardsDocs = catalog == null ? 0 : catalog.catalogDocs() - reader.maxDoc();
    this.snapshotReader = catalog == null ? reader : new CatalogWideReader(reader, catalog);
    this.analyzer = analyzer;
    this.view = new Reading(snapshotReader, searcher(snapshotReader));
  }

  private IndexSearcher searcher(IndexReader reader) {
    IndexSearcher searcher = new CatalogSearcher(reader, otherShardsDocs);
    searcher.setSimilarity(new BM25Similarity());
    // Every search builds a new query tree, and the cache's usage tracking hashes each tree on
    // every
    // use; scoring queries are never cached and the column filter must not be, so it costs without
    // paying back (measured: TextSearchBenchmark).
    searcher.setQueryCache(null);
    return searcher;
  }

  /**
   * Opens the index of the snapshot version in {@code snapshotDir}.
   *
   * @param stemming the analysis the index was built with (the manifest's {@link
   *     #STEMMING_PARAMETER})
   * @param checksummedFiles the index's files, relative to the snapshot directory, whose Lucene
   *     footer checksums to verify when {@code verifyChecksums}
   * @param itemCount the snapshot's items: the index must hold exactly that many documents
   * @param verifyChecksums recompute the checksum of every file in {@code checksummedFiles}
   */
  public static TextIndex open(
      Path snapshotDir,
      ProductAnalyzer.Stemming stemming,
      Collection<String> checksummedFiles,
      int itemCount,
      boolean verifyChecksums)
      throws IOException {
    Path dir = snapshotDir.resolve(TextIndexWriter.DIR);
    Directory directory = new MMapDirectory(dir);
    boolean success = false;
    try {
      if (verifyChecksums) {
        for (String path : checksummedFiles) {
          String name = path.substring(TextIndexWriter.DIR.length() + 1);
          try (IndexInput in = directory.openInput(name, IOContext.READONCE)) {
            CodecUtil.checksumEntireFile(in);
          } catch (CorruptIndexException e) {
            throw new CorruptFileException(
                dir.resolve(name), "checksum mismatch (" + e.getMessage() + ")");
          }
        }
      }
      DirectoryReader reader = DirectoryReader.open(directory);
      if (reader.maxDoc() != itemCount
          || reader.numDeletedDocs() != 0
          || reader.leaves().size() > 1) {
        reader.close();
        throw new CorruptFileException(
            dir,
            reader.maxDoc()
                + " documents in "
                + reader.leaves().size()
                + " segments, expected "
                + itemCount
                + " in one");
      }
      CatalogStatistics catalog = null;
      try {
        if (checksummedFiles.contains(CatalogStatistics.PATH)) {
          catalog = CatalogStatistics.open(directory, dir.resolve(CatalogStatistics.FILE));
          if (catalog.catalogDocs() < reader.maxDoc()) {
            throw new CorruptFileException(
                dir.resolve(CatalogStatistics.FILE),
                "a catalog of "
                    + catalog.catalogDocs()
                    + " items, fewer than this shard's "
                    + reader.maxDoc());
          }
        }
        TextIndex index = new TextIndex(directory, reader, new ProductAnalyzer(stemming), catalog);
        success = true;
        return index;
      } finally {
        if (!success) {
          reader.close();
          if (catalog != null) {
            catalog.close();
          }
        }
      }
    } finally {
      if (!success) {
        directory.close();
      }
    }
  }

  /**
   * The index as of the last refresh, added items included: a searcher with BM25 (default
   * parameters) and its reader. Valid while the index is not refreshed again, or while a reference
   * taken with {@link Reading#acquire()} is held.
   */
  public Reading reading() {
    return view;
  }

  /** The searcher of {@link #reading()}: for callers that search no live index. */
  public IndexSearcher searcher() {
    return view.searcher();
  }

  /** The reader of {@link #reading()}. */
  public IndexReader reader() {
    return view.reader();
  }

  /**
   * Indexes item {@code ordinal}, added live; searchable after the next {@link #refresh()}.
   * Ordinals must follow the snapshot's and each other without gaps. Writer only.
   */
  public void append(int ordinal, Item item) throws IOException {
    int expected = snapshotReader.maxDoc() + appended;
    if (ordinal != expected) {
      throw new IllegalStateException(
          "text index expects ordinal " + expected + ", got " + ordinal);
    }
    if (appendedWriter == null) {
      IndexWriterConfig config = new IndexWriterConfig(analyzer);
      config.setSimilarity(new BM25Similarity());
      config.setMergePolicy(new LogDocMergePolicy());
      config.setMergeScheduler(new SerialMergeScheduler());
      config.setCommitOnClose(false);
      appendedDirectory = new ByteBuffersDirectory();
      appendedWriter = new IndexWriter(appendedDirectory, config);
    }
    appendedWriter.addDocument(TextFields.document(ordinal, item));
    appended++;
  }

  /**
   * Publishes what {@link #append} added since the last refresh to readings taken from now on (a
   * no-op when nothing was). The index's reference on the reading replaced is given back. Writer
   * only.
   */
  public void refresh() throws IOException {
    if (appendedWriter == null || appendedReader != null && appendedReader.maxDoc() == appended) {
      return;
    }
    DirectoryReader next =
        appendedReader == null
            ? DirectoryReader.open(appendedWriter)
            : DirectoryReader.openIfChanged(appendedReader, appendedWriter);
    if (next == null || next.maxDoc() != appended) {
      throw new IllegalStateException(
          "added items' index holds "
              + (next == null ? "no new" : next.maxDoc())
              + " documents, expected "
              + appended);
    }
    // The view's MultiReader takes its own reference on each part; ours on the added part goes to
    // it.
    MultiReader combined = new MultiReader(new IndexReader[] {snapshotReader, next}, false);
    next.decRef();
    appendedReader = next;
    Reading before = view;
    view = new Reading(combined, searcher(combined));
    if (before.reader() != snapshotReader) {
      before.reader().decRef();
    }
  }

  /** The analyzer the index was built with; queries must use it too. */
  public ProductAnalyzer analyzer() {
    return analyzer;
  }

  @Override
  public void close() throws IOException {
    try {
      if (view.reader() != snapshotReader) {
        view.reader().decRef();
      }
      if (appendedWriter != null) {
        appendedWriter.rollback();
        appendedDirectory.close();
      }
    } finally {
      try {
        snapshotReader.close();
        if (catalog != null) {
          catalog.close();
        }
      } finally {
        directory.close();
      }
    }
  }

  /**
   * The whole catalog's text statistics when this index is one shard's, else null: what its BM25
   * scores are computed over.
   */
  public CatalogStatistics catalogStatistics() {
    return catalog;
  }
}
