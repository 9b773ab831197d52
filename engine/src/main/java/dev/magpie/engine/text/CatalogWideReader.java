package dev.magpie.engine.text;

import java.io.IOException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterDirectoryReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.IndexReader.CacheHelper;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;

/**
 * A shard's text index as Lucene reads it, its term dictionaries and statistics replaced by the
 * whole catalog's ({@link CatalogStatistics}) and its postings its own: BM25, typo expansion and
 * every "does the catalog know this word" answer then come out as on one index over the whole
 * catalog. Wraps the snapshot's one segment; items added live since stay in segments of their own
 * and count on top, as they do on a single node. Closing it closes the wrapped reader.
 */
final class CatalogWideReader extends FilterDirectoryReader {
  private final CatalogStatistics statistics;

  CatalogWideReader(DirectoryReader in, CatalogStatistics statistics) throws IOException {
    super(
        in,
        new SubReaderWrapper() {
          @Override
          public LeafReader wrap(LeafReader reader) {
            return new Leaf(reader, statistics);
          }
        });
    this.statistics = statistics;
  }

  @Override
  protected DirectoryReader doWrapDirectoryReader(DirectoryReader in) throws IOException {
    return new CatalogWideReader(in, statistics);
  }

  @Override
  public CacheHelper getReaderCacheHelper() {
    return null;
  }

  /** The segment, its terms the catalog's. */
  private static final class Leaf extends FilterLeafReader {
    private final CatalogStatistics statistics;

    Leaf(LeafReader in, CatalogStatistics statistics) {
      super(in);
      this.statistics = statistics;
    }

    @Override
    public Terms terms(String field) throws IOException {
      CatalogStatistics.FieldStatistics catalog = statistics.field(field);
      Terms local = in.terms(field);
      return catalog == null ? local : new CatalogTerms(catalog, local);
    }

    @Override
    public CacheHelper getCoreCacheHelper() {
      return null;
    }

    @Override
    public CacheHelper getReaderCacheHelper() {
      return null;
    }
  }

  /** One field's catalog-wide terms over the segment's postings. */
  private static final class CatalogTerms extends Terms {
    private final CatalogStatistics.FieldStatistics catalog;
    private final Terms local;

    CatalogTerms(CatalogStatistics.FieldStatistics catalog, Terms local) {
      this.catalog = catalog;
      this.local = local;
    }

    @Override
    public TermsEnum iterator() throws IOException {
      return new CatalogTermsEnum(catalog, local == null ? null : local.iterator());
    }

    @Override
    public long size() {
      return catalog.termCount();
    }

    @Override
    public long getSumTotalTermFreq() {
      return catalog.sumTotalTermFreq();
    }

    @Override
    public long getSumDocFreq() {
      return catalog.sumDocFreq();
    }

    @Override
    public int getDocCount() {
      return catalog.docCount();
    }

    @Override
    public boolean hasFreqs() {
      return catalog.hasFreqs();
    }

    @Override
    public boolean hasOffsets() {
      return catalog.hasOffsets();
    }

    @Override
    public boolean hasPositions() {
      return catalog.hasPositions();
    }

    @Override
    public boolean hasPayloads() {
      return catalog.hasPayloads();
    }
  }
}
