package dev.magpie.bench.ann;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues;

/**
 * Lucene's own HNSW over the same vectors, as a baseline at its best settings here: int8 scalar
 * quantized ({@link Lucene104HnswScalarQuantizedVectorsFormat}, 8 bits a dimension), the dot
 * product on the unit vectors (the fastest similarity, equal to cosine on them), the same M and
 * efConstruction as the others, merged to one segment (one graph, as the others have), searched on
 * one thread with the beam as wide as ef (a {@link KnnFloatVectorQuery} for ef nearest, its best k
 * kept). Documents are added in row order and merged only with their neighbours, so a document's
 * number is its row. Owns its directory reader.
 */
final class LuceneHnsw implements AutoCloseable {
  private static final String FIELD = "v";

  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;

  private LuceneHnsw(Directory directory) throws IOException {
    this.directory = directory;
    this.reader = DirectoryReader.open(directory);
    if (reader.leaves().size() != 1) {
      reader.close();
      throw new IOException(
          "the Lucene index has " + reader.leaves().size() + " segments, not one: rebuild it");
    }
    this.searcher = new IndexSearcher(reader);
  }

  /** Whether {@code dir} holds an index this class wrote. */
  static boolean exists(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Directory d = FSDirectory.open(dir)) {
      return DirectoryReader.indexExists(d);
    }
  }

  /**
   * Builds the index of {@code data} in {@code dir} (emptied first) with {@code threads} threads
   * for the graph's merge.
   */
  static LuceneHnsw build(Path dir, VectorFile data, int m, int efConstruction, int threads)
      throws IOException {
    if (Files.exists(dir)) {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
    }
    Files.createDirectories(dir);
    ExecutorService merges =
        Executors.newFixedThreadPool(threads, r -> new Thread(r, "lucene-hnsw-merge"));
    try {
      KnnVectorsFormat format =
          new Lucene104HnswScalarQuantizedVectorsFormat(
              QuantizedByteVectorValues.ScalarEncoding.UNSIGNED_BYTE,
              m,
              efConstruction,
              threads,
              threads > 1 ? merges : null);
      Codec codec =
          new Lucene104Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
              return format;
            }
          };
      LogByteSizeMergePolicy adjacentOnly = new LogByteSizeMergePolicy();
      IndexWriterConfig config =
          new IndexWriterConfig()
              .setCodec(codec)
              .setMergePolicy(adjacentOnly)
              .setRAMBufferSizeMB(1_024)
              .setUseCompoundFile(false);
      Directory directory = FSDirectory.open(dir);
      try (IndexWriter writer = new IndexWriter(directory, config)) {
        for (int i = 0; i < data.count(); i++) {
          Document doc = new Document();
          doc.add(
              new KnnFloatVectorField(FIELD, data.row(i), VectorSimilarityFunction.DOT_PRODUCT));
          writer.addDocument(doc);
        }
        writer.forceMerge(1);
        writer.commit();
      }
      return new LuceneHnsw(directory);
    } finally {
      merges.shutdownNow();
    }
  }

  /** Opens the index in {@code dir}. */
  static LuceneHnsw open(Path dir) throws IOException {
    return new LuceneHnsw(FSDirectory.open(dir));
  }

  /** The rows of the {@code k} nearest found with a beam of {@code ef}. */
  int[] search(float[] query, int k, int ef) {
    try {
      TopDocs top = searcher.search(new KnnFloatVectorQuery(FIELD, query, Math.max(k, ef)), k);
      int[] rows = new int[top.scoreDocs.length];
      int i = 0;
      for (ScoreDoc d : top.scoreDocs) {
        rows[i++] = d.doc;
      }
      return rows;
    } catch (IOException e) {
      throw new IllegalStateException("Lucene search", e);
    }
  }

  /** Bytes of the index's files: the int8 codes, the graph and the floats it keeps beside them. */
  long bytesOnDisk() throws IOException {
    long total = 0;
    for (String f : directory.listAll()) {
      total += directory.fileLength(f);
    }
    return total;
  }

  @Override
  public void close() throws IOException {
    reader.close();
    directory.close();
  }
}
