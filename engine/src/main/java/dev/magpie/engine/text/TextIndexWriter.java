package dev.magpie.engine.text;

import dev.magpie.engine.catalog.Item;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;

/**
 * Builds the text index of a snapshot version in its {@code text/} directory. Items are added in
 * ordinal order from one thread and merged with a policy that only merges adjacent segments, then
 * force-merged to one segment, so a document's id is its item ordinal; {@link #finish()} proves it
 * against the ordinal doc values before the index can be published.
 */
public final class TextIndexWriter implements Closeable {
  /** The index's directory inside a snapshot version. */
  public static final String DIR = "text";

  private final Directory directory;
  private final IndexWriter writer;
  private int count;

  private TextIndexWriter(Directory directory, IndexWriter writer) {
    this.directory = directory;
    this.writer = writer;
  }

  /** Starts an empty index in {@code snapshotDir/text}. */
  public static TextIndexWriter create(Path snapshotDir, ProductAnalyzer analyzer)
      throws IOException {
    Directory directory = FSDirectory.open(snapshotDir.resolve(DIR));
    IndexWriterConfig config = new IndexWriterConfig(analyzer);
    config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    config.setSimilarity(new BM25Similarity());
    config.setMergePolicy(new LogByteSizeMergePolicy());
    config.setRAMBufferSizeMB(128);
    config.setUseCompoundFile(false);
    config.setCommitOnClose(false);
    try {
      return new TextIndexWriter(directory, new IndexWriter(directory, config));
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  /** Adds item {@code ordinal}; ordinals must come 0, 1, 2, ... */
  public void add(int ordinal, Item item) throws IOException {
    if (ordinal != count) {
      throw new IllegalStateException("text index expects ordinal " + count + ", got " + ordinal);
    }
    writer.addDocument(TextFields.document(ordinal, item));
    count++;
  }

  /**
   * Merges to one segment, commits, checks that every doc id equals its ordinal, and closes.
   *
   * @return every file of the index with its length and Lucene checksum
   */
  public List<IndexFile> finish() throws IOException {
    writer.forceMerge(1);
    writer.commit();
    writer.close();
    try (DirectoryReader reader = DirectoryReader.open(directory)) {
      if (reader.maxDoc() != count || reader.numDeletedDocs() != 0 || reader.leaves().size() > 1) {
        throw new IllegalStateException(
            "text index holds "
                + reader.maxDoc()
                + " documents in "
                + reader.leaves().size()
                + " segments, expected "
                + count
                + " in one");
      }
      if (count > 0) {
        LeafReader leaf = reader.leaves().getFirst().reader();
        NumericDocValues ordinals = leaf.getNumericDocValues(TextFields.ORDINAL);
        for (int doc = ordinals.nextDoc();
            doc != DocIdSetIterator.NO_MORE_DOCS;
            doc = ordinals.nextDoc()) {
          if (ordinals.longValue() != doc) {
            throw new IllegalStateException(
                "text index document " + doc + " holds item " + ordinals.longValue());
          }
        }
      }
    }
    List<IndexFile> files = new ArrayList<>();
    for (String name : directory.listAll()) {
      if (name.equals("write.lock")) {
        continue;
      }
      try (IndexInput in = directory.openInput(name, IOContext.READONCE)) {
        files.add(new IndexFile(DIR + "/" + name, in.length(), CodecUtil.retrieveChecksum(in)));
      }
    }
    if (Arrays.asList(directory.listAll()).contains("write.lock")) {
      directory.deleteFile("write.lock");
    }
    directory.close();
    return files;
  }

  /** Releases the writer without committing (an unfinished index is never published). */
  @Override
  public void close() throws IOException {
    try {
      if (writer.isOpen()) {
        writer.rollback();
      }
    } finally {
      directory.close();
    }
  }

  /**
   * One file of the index.
   *
   * @param path relative to the snapshot version
   * @param length in bytes
   * @param checksum Lucene's CRC32 from the file's footer
   */
  public record IndexFile(String path, long length, long checksum) {}
}
