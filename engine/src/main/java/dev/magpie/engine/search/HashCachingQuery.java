package dev.magpie.engine.search;

import java.io.IOException;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Weight;

/**
 * Wraps a reused query so that its hash code is computed once. BooleanQuery hashes every clause
 * when it is built, and CombinedFieldQuery recomputes its hash over a map each time: with one
 * CombinedFieldQuery per query term, that hashing cost more than the rest of planning a search
 * (measured with TextSearchBenchmark). Scoring, matching and explanations are the wrapped query's.
 */
final class HashCachingQuery extends Query {
  private final Query delegate;
  private final int hash;

  HashCachingQuery(Query delegate) {
    this.delegate = delegate;
    this.hash = 31 * classHash() + delegate.hashCode();
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost)
      throws IOException {
    return delegate.createWeight(searcher, scoreMode, boost);
  }

  @Override
  public Query rewrite(IndexSearcher searcher) throws IOException {
    Query rewritten = delegate.rewrite(searcher);
    return rewritten == delegate ? this : rewritten;
  }

  @Override
  public void visit(QueryVisitor visitor) {
    delegate.visit(visitor);
  }

  @Override
  public String toString(String field) {
    return delegate.toString(field);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HashCachingQuery h && hash == h.hash && delegate.equals(h.delegate);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
