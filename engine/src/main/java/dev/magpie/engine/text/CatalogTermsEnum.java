package dev.magpie.engine.text;

import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.index.BaseTermsEnum;
import org.apache.lucene.index.ImpactsEnum;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SlowImpactsEnum;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.util.BytesRef;

/**
 * The terms of one field of the whole catalog ({@link CatalogStatistics}), in term order, each with
 * its catalog-wide frequencies, and the postings of this shard's index where it holds the term (no
 * documents where it does not). Seeks by binary search over the mapped entries. Not thread-safe, as
 * every terms enum.
 */
final class CatalogTermsEnum extends BaseTermsEnum {
  private final CatalogStatistics.FieldStatistics field;

  /** The shard's own terms of the field, or null when none of its items has the field. */
  private final TermsEnum local;

  private final BytesRef term = new BytesRef(new byte[16]);
  private final BytesRef probe = new BytesRef(new byte[16]);
  private int ord = -1;

  CatalogTermsEnum(CatalogStatistics.FieldStatistics field, TermsEnum local) {
    this.field = field;
    this.local = local;
  }

  @Override
  public SeekStatus seekCeil(BytesRef text) throws IOException {
    int low = 0;
    int high = field.termCount() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      field.term(mid, probe);
      int c = compare(probe, text);
      if (c < 0) {
        low = mid + 1;
      } else if (c > 0) {
        high = mid - 1;
      } else {
        position(mid);
        return SeekStatus.FOUND;
      }
    }
    if (low >= field.termCount()) {
      ord = field.termCount();
      return SeekStatus.END;
    }
    position(low);
    return SeekStatus.NOT_FOUND;
  }

  private static int compare(BytesRef a, BytesRef b) {
    return Arrays.compareUnsigned(
        a.bytes, a.offset, a.offset + a.length, b.bytes, b.offset, b.offset + b.length);
  }

  private void position(int at) throws IOException {
    ord = at;
    field.term(at, term);
  }

  @Override
  public void seekExact(long at) throws IOException {
    if (at < 0 || at >= field.termCount()) {
      throw new IllegalArgumentException(
          "term ordinal " + at + " outside 0.." + (field.termCount() - 1));
    }
    position((int) at);
  }

  @Override
  public BytesRef next() throws IOException {
    if (ord + 1 >= field.termCount()) {
      ord = field.termCount();
      return null;
    }
    position(ord + 1);
    return term;
  }

  @Override
  public BytesRef term() {
    return term;
  }

  @Override
  public long ord() {
    return ord;
  }

  @Override
  public int docFreq() throws IOException {
    return field.docFreq(ord);
  }

  @Override
  public long totalTermFreq() throws IOException {
    return field.totalTermFreq(ord);
  }

  @Override
  public PostingsEnum postings(PostingsEnum reuse, int flags) throws IOException {
    if (local != null && local.seekExact(term)) {
      return local.postings(reuse instanceof NoPostings ? null : reuse, flags);
    }
    return new NoPostings();
  }

  @Override
  public ImpactsEnum impacts(int flags) throws IOException {
    if (local != null && local.seekExact(term)) {
      return local.impacts(flags);
    }
    return new SlowImpactsEnum(new NoPostings());
  }

  /** The postings of a term this shard's items do not hold: none. */
  private static final class NoPostings extends PostingsEnum {
    private int doc = -1;

    @Override
    public int freq() {
      return 0;
    }

    @Override
    public int nextPosition() {
      return -1;
    }

    @Override
    public int startOffset() {
      return -1;
    }

    @Override
    public int endOffset() {
      return -1;
    }

    @Override
    public BytesRef getPayload() {
      return null;
    }

    @Override
    public int docID() {
      return doc;
    }

    @Override
    public int nextDoc() {
      return doc = NO_MORE_DOCS;
    }

    @Override
    public int advance(int target) {
      return doc = NO_MORE_DOCS;
    }

    @Override
    public long cost() {
      return 0;
    }
  }
}
