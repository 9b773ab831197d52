package dev.magpie.engine.search;

import dev.magpie.engine.text.TextFields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BytesRef;

/**
 * Explains a text search's score from its own plan: the scored part of the query is a sum of
 * clauses (a query word over the combined fields or over one field, a synonym, a typo-tolerant
 * expansion), each with every boost above it applied; an item's explanation is the score each
 * clause gives it, so the parts shown add up to the score, as the searcher promises. Clauses are
 * scored with Lucene's own scorers; nothing is read from Lucene's explanation text. One per search;
 * not thread-safe.
 */
final class ClauseExplainer {
  /**
   * One scored clause: its query with its boosts, the field it reads (null: combined), its term.
   */
  private record Clause(Weight weight, String field, String term) {}

  private final IndexSearcher searcher;
  private final List<String> fields;
  private final List<String> queryTerms;
  private final List<String> synonyms;
  private final List<Clause> clauses = new ArrayList<>();

  /**
   * The explainer of {@code scored} (the text part of a plan's query, filters left out) over {@code
   * searcher}.
   *
   * @param fields the fields a combined clause may read, to say which an item's match came from
   * @param queryTerms the query's own terms (a match on one of them is {@link
   *     TermMatch.Origin#QUERY})
   * @param synonyms the terms synonyms added ({@link TermMatch.Origin#SYNONYM}); other terms came
   *     from typo tolerance
   */
  ClauseExplainer(
      IndexSearcher searcher,
      Query scored,
      List<String> fields,
      List<String> queryTerms,
      List<String> synonyms)
      throws IOException {
    this.searcher = searcher;
    this.fields = fields;
    this.queryTerms = queryTerms;
    this.synonyms = synonyms;
    collect(scored, 1f);
  }

  /** The clauses item {@code doc} matched, each with its part of the score, largest first. */
  List<TermMatch> explain(int doc) throws IOException {
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    int local = doc - leaf.docBase;
    List<TermMatch> matches = new ArrayList<>();
    for (Clause c : clauses) {
      Scorer scorer = c.weight().scorer(leaf);
      if (scorer == null || scorer.iterator().advance(local) != local) {
        continue;
      }
      float part = scorer.score();
      if (part == 0f) {
        continue;
      }
      String field = c.field() != null ? c.field() : fieldsContaining(c.term(), leaf, local);
      matches.add(new TermMatch(field, c.term(), part, origin(c.term())));
    }
    matches.sort(Comparator.comparingDouble(TermMatch::score).reversed());
    return matches;
  }

  /** Walks the scored query down to its clauses, multiplying the boosts met on the way. */
  private void collect(Query query, float boost) throws IOException {
    switch (query) {
      case BooleanQuery b -> {
        for (BooleanClause clause : b.clauses()) {
          if (clause.occur() == BooleanClause.Occur.SHOULD
              || clause.occur() == BooleanClause.Occur.MUST) {
            collect(clause.query(), boost);
          }
        }
      }
      case BoostQuery b -> collect(b.getQuery(), boost * b.getBoost());
      case TermQuery t -> {
        if (!t.getTerm().field().equals(TextFields.ATTRIBUTE_PAIRS)) {
          add(t, t.getTerm().field(), t.getTerm().text(), boost);
        }
      }
      default -> add(query, null, termOf(query), boost); // one term over the combined fields
    }
  }

  private void add(Query query, String field, String term, float boost) throws IOException {
    Query boosted = boost == 1f ? query : new BoostQuery(query, boost);
    Weight weight = searcher.createWeight(searcher.rewrite(boosted), ScoreMode.COMPLETE, 1f);
    clauses.add(new Clause(weight, field, term));
  }

  /** The term a combined-fields clause searches (the same text in every field). */
  private static String termOf(Query query) {
    String[] found = {null};
    query.visit(
        new QueryVisitor() {
          @Override
          public void consumeTerms(Query q, Term... terms) {
            if (found[0] == null && terms.length > 0) {
              found[0] = terms[0].text();
            }
          }
        });
    return found[0] == null ? query.toString() : found[0];
  }

  /** The searched fields of the document that contain {@code term}, joined by '+'. */
  private String fieldsContaining(String term, LeafReaderContext leaf, int local)
      throws IOException {
    StringBuilder out = new StringBuilder();
    BytesRef bytes = new BytesRef(term);
    for (String field : fields) {
      PostingsEnum postings = leaf.reader().postings(new Term(field, bytes), PostingsEnum.NONE);
      if (postings != null && postings.advance(local) == local) {
        out.append(out.isEmpty() ? "" : "+").append(field);
      }
    }
    return out.toString();
  }

  private TermMatch.Origin origin(String term) {
    if (queryTerms.contains(term)) {
      return TermMatch.Origin.QUERY;
    }
    return synonyms.contains(term) ? TermMatch.Origin.SYNONYM : TermMatch.Origin.TYPO;
  }
}
