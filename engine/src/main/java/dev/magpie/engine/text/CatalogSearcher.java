package dev.magpie.engine.text;

import java.io.IOException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.IndexSearcher;

/**
 * An index searcher that knows how many items the whole catalog holds: on a shard, its reader's
 * term statistics are the catalog's ({@link CatalogWideReader}), and the document count they are
 * taken over must be the catalog's too (Lucene checks that no field is in more documents than there
 * are). On an unsharded snapshot it is a plain searcher.
 */
public final class CatalogSearcher extends IndexSearcher {
  private final long otherShardsDocs;

  /**
   * A searcher over {@code reader}, of a catalog holding {@code otherShardsDocs} documents beyond
   * the reader's (0 when unsharded).
   */
  CatalogSearcher(IndexReader reader, long otherShardsDocs) {
    super(reader);
    this.otherShardsDocs = otherShardsDocs;
  }

  /** Documents in the whole catalog: this reader's and the other shards'. */
  public long catalogDocs() {
    return getIndexReader().maxDoc() + otherShardsDocs;
  }

  /** {@link #catalogDocs()} of {@code searcher} if it is one, else its reader's documents. */
  public static long catalogDocs(IndexSearcher searcher) {
    return searcher instanceof CatalogSearcher c
        ? c.catalogDocs()
        : searcher.getIndexReader().maxDoc();
  }

  /**
   * The documents of {@code reader} that hold {@code term}, summed over its segments. Use it rather
   * than {@link IndexReader#docFreq}: on a shard with items added live, the reader nests the
   * catalog-wide snapshot reader, whose field statistics exceed its own documents, and Lucene's
   * composite readers assert they cannot.
   */
  public static int docFreq(IndexReader reader, Term term) throws IOException {
    int df = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      df += leaf.reader().docFreq(term);
    }
    return df;
  }

  /** As Lucene's, over the whole catalog's document count. */
  @Override
  public CollectionStatistics collectionStatistics(String field) throws IOException {
    if (otherShardsDocs == 0) {
      return super.collectionStatistics(field);
    }
    long docCount = 0;
    long sumTotalTermFreq = 0;
    long sumDocFreq = 0;
    for (LeafReaderContext leaf : getIndexReader().leaves()) {
      Terms terms = Terms.getTerms(leaf.reader(), field);
      docCount += terms.getDocCount();
      sumTotalTermFreq += terms.getSumTotalTermFreq();
      sumDocFreq += terms.getSumDocFreq();
    }
    if (docCount == 0) {
      return null;
    }
    return new CollectionStatistics(field, catalogDocs(), docCount, sumTotalTermFreq, sumDocFreq);
  }
}
