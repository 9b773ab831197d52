package dev.magpie.engine.search;

import dev.magpie.engine.text.TextFields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DocIdSetIterator;
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

  /**
   * The clauses each of {@code docs} matched, each with its part of the score, largest first; in
   * the order of {@code docs}. The documents are visited in increasing order, so each clause reads
   * its postings once per segment for all of them, not once per document.
   */
  List<List<TermMatch>> explain(int[] docs) throws IOException {
    List<List<TermMatch>> out = new ArrayList<>(docs.length);
    for (int i = 0; i < docs.length; i++) {
      out.add(new ArrayList<>());
    }
    Integer[] order = new Integer[docs.length];
    for (int i = 0; i < docs.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> docs[i]));
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    for (int from = 0; from < order.length; ) {
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(docs[order[from]], leaves));
      int end = leaf.docBase + leaf.reader().maxDoc();
      int to = from;
      while (to < order.length && docs[order[to]] < end) {
        to++;
      }
      explainInLeaf(leaf, docs, order, from, to, out);
      from = to;
    }
    for (List<TermMatch> matches : out) {
      matches.sort(Comparator.comparingDouble(TermMatch::score).reversed());
    }
    return out;
  }

  /** Explains {@code docs[order[from..to)]}, all in {@code leaf}, in increasing order. */
  private void explainInLeaf(
      LeafReaderContext leaf,
      int[] docs,
      Integer[] order,
      int from,
      int to,
      List<List<TermMatch>> out)
      throws IOException {
    for (Clause c : clauses) {
      Scorer scorer = c.weight().scorer(leaf);
      if (scorer == null) {
        continue;
      }
      DocIdSetIterator matching = scorer.iterator();
      FieldsContaining fieldsOf = c.field() == null ? new FieldsContaining(c.term(), leaf) : null;
      for (int j = from; j < to; j++) {
        int local = docs[order[j]] - leaf.docBase;
        int at = matching.docID() < local ? matching.advance(local) : matching.docID();
        if (at != local) {
          continue;
        }
        float part = scorer.score();
        if (part == 0f) {
          continue;
        }
        String field = c.field() != null ? c.field() : fieldsOf.of(local);
        out.get(order[j]).add(new TermMatch(field, c.term(), part, origin(c.term())));
      }
    }
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

  /**
   * The searched fields that contain one term, for documents of one segment asked in increasing
   * order: each field's postings opened once, on first use, and only moved forward.
   */
  private final class FieldsContaining {
    private final BytesRef term;
    private final LeafReaderContext leaf;
    private final PostingsEnum[] postings = new PostingsEnum[fields.size()];
    private final boolean[] opened = new boolean[fields.size()];

    FieldsContaining(String term, LeafReaderContext leaf) {
      this.term = new BytesRef(term);
      this.leaf = leaf;
    }

    /** The fields of document {@code local} that contain the term, joined by '+'. */
    String of(int local) throws IOException {
      StringBuilder out = new StringBuilder();
      for (int f = 0; f < postings.length; f++) {
        if (!opened[f]) {
          opened[f] = true;
          postings[f] = leaf.reader().postings(new Term(fields.get(f), term), PostingsEnum.NONE);
        }
        PostingsEnum p = postings[f];
        if (p == null) {
          continue;
        }
        int at = p.docID() < local ? p.advance(local) : p.docID();
        if (at == local) {
          out.append(out.isEmpty() ? "" : "+").append(fields.get(f));
        }
      }
      return out.toString();
    }
  }

  private TermMatch.Origin origin(String term) {
    if (queryTerms.contains(term)) {
      return TermMatch.Origin.QUERY;
    }
    return synonyms.contains(term) ? TermMatch.Origin.SYNONYM : TermMatch.Origin.TYPO;
  }
}
