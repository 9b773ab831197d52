package dev.magpie.engine.search;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;

/**
 * A Lucene filter clause backed by {@link ItemFilter}: a two-phase iterator whose approximation is
 * every document and whose confirmation reads the item's columns (document id = item ordinal). In a
 * conjunction Lucene leads with the text query and confirms only its candidates here, so the filter
 * costs a few column reads per candidate and a filtered search still collects k hits. Never cached:
 * the columns can change under live updates.
 */
final class ItemFilterQuery extends Query {
  private static final float MATCH_COST = 8f;

  private final ItemFilter filter;

  ItemFilterQuery(ItemFilter filter) {
    this.filter = filter;
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
    return new ConstantScoreWeight(this, boost) {
      @Override
      public ScorerSupplier scorerSupplier(LeafReaderContext context) {
        int base = context.docBase;
        int maxDoc = context.reader().maxDoc();
        float weightScore = score();
        return new ScorerSupplier() {
          @Override
          public Scorer get(long leadCost) {
            DocIdSetIterator all = DocIdSetIterator.all(maxDoc);
            TwoPhaseIterator twoPhase =
                new TwoPhaseIterator(all) {
                  @Override
                  public boolean matches() {
                    return filter.accepts(base + approximation.docID());
                  }

                  @Override
                  public float matchCost() {
                    return MATCH_COST;
                  }
                };
            return new ConstantScoreScorer(weightScore, scoreMode, twoPhase);
          }

          @Override
          public long cost() {
            return maxDoc;
          }
        };
      }

      @Override
      public boolean isCacheable(LeafReaderContext ctx) {
        return false;
      }
    };
  }

  @Override
  public void visit(QueryVisitor visitor) {
    visitor.visitLeaf(this);
  }

  @Override
  public String toString(String field) {
    return filter.toString();
  }

  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
