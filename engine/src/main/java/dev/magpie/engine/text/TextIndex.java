package dev.magpie.engine.text;

import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.snapshot.Manifest;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.MMapDirectory;

/**
 * The text index of an open snapshot: one Lucene segment, memory-mapped through {@link
 * MMapDirectory}, whose document ids are the item ordinals (so a hit needs no lookup table). Owns
 * its reader and directory; {@link #close()} unmaps them. Thread-safe for searching.
 */
public final class TextIndex implements Closeable {
  /** Build parameter naming the stemming the index was analysed with. */
  public static final String STEMMING_PARAMETER = "text.stemming";

  /** The stemming new snapshots are built with. */
  public static final ProductAnalyzer.Stemming DEFAULT_STEMMING = ProductAnalyzer.Stemming.PLURALS;

  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final ProductAnalyzer analyzer;

  private TextIndex(Directory directory, DirectoryReader reader, ProductAnalyzer analyzer) {
    this.directory = directory;
    this.reader = reader;
    this.analyzer = analyzer;
    this.searcher = new IndexSearcher(reader);
    this.searcher.setSimilarity(new BM25Similarity());
    // Every search builds a new query tree, and the cache's usage tracking hashes each tree on every
    // use; scoring queries are never cached and the column filter must not be, so it costs without
    // paying back (measured: TextSearchBenchmark).
    this.searcher.setQueryCache(null);
  }

  /**
   * Opens the index of the snapshot version in {@code snapshotDir}.
   *
   * @param itemCount the snapshot's items: the index must hold exactly that many documents
   * @param verifyChecksums recompute the checksum of every index file
   */
  public static TextIndex open(Path snapshotDir, Manifest manifest, int itemCount, boolean verifyChecksums)
      throws IOException {
    Path dir = snapshotDir.resolve(TextIndexWriter.DIR);
    ProductAnalyzer.Stemming stemming;
    try {
      stemming = ProductAnalyzer.Stemming.valueOf(manifest.build().getOrDefault(STEMMING_PARAMETER, "PLURALS"));
    } catch (IllegalArgumentException e) {
      throw new CorruptFileException(snapshotDir.resolve("manifest.json"), "unknown " + STEMMING_PARAMETER);
    }
    Directory directory = new MMapDirectory(dir);
    boolean success = false;
    try {
      if (verifyChecksums) {
        for (Manifest.FileEntry entry : manifest.files()) {
          if (entry.algorithm().equals(Manifest.FileEntry.LUCENE_CRC32)) {
            String name = entry.path().substring(TextIndexWriter.DIR.length() + 1);
            try (IndexInput in = directory.openInput(name, IOContext.READONCE)) {
              CodecUtil.checksumEntireFile(in);
            } catch (CorruptIndexException e) {
              throw new CorruptFileException(dir.resolve(name), "checksum mismatch (" + e.getMessage() + ")");
            }
          }
        }
      }
      DirectoryReader reader = DirectoryReader.open(directory);
      if (reader.maxDoc() != itemCount || reader.numDeletedDocs() != 0 || reader.leaves().size() > 1) {
        reader.close();
        throw new CorruptFileException(
            dir, reader.maxDoc() + " documents in " + reader.leaves().size() + " segments, expected "
                + itemCount + " in one");
      }
      TextIndex index = new TextIndex(directory, reader, new ProductAnalyzer(stemming));
      success = true;
      return index;
    } finally {
      if (!success) {
        directory.close();
      }
    }
  }

  /** A searcher over the index (BM25, default parameters). */
  public IndexSearcher searcher() {
    return searcher;
  }

  /** The reader. */
  public DirectoryReader reader() {
    return reader;
  }

  /** The analyzer the index was built with; queries must use it too. */
  public ProductAnalyzer analyzer() {
    return analyzer;
  }

  @Override
  public void close() throws IOException {
    try {
      reader.close();
    } finally {
      directory.close();
    }
  }
}
