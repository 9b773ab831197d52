package dev.magpie.engine.search;

import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.text.CatalogSearcher;
import dev.magpie.engine.text.QueryTerms;
import dev.magpie.engine.text.TextFields;
import dev.magpie.engine.text.TextIndex;
import dev.magpie.engine.text.UnitNormalizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.CombinedFieldQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;

/**
 * Plans a text search: takes the request's stated constraints out of its text (knowledge rewrites
 * and synonyms, then {@link QueryUnderstanding}), analyses the rest, and builds an explicit {@link
 * Plan}: the scored clauses (each word over the combined fields, or over each field; synonyms at a
 * lower weight; typo-tolerant expansions of unknown words, or of all words for the retry) and the
 * filters run inside the search. Reads the index only through the {@link Pinned} reading it is
 * given and keeps what is worth keeping in that reading's {@link ReadingCache}. Thread-safe.
 */
final class QueryPlanner {
  private static final float FUZZY_BOOST = 0.5f;
  private static final float SYNONYM_BOOST = 0.5f;

  /**
   * A BM25F query reading at least this many postings (its terms' document frequencies summed) is
   * run in two phases ({@link Plan#pruned}); below it, scoring every match costs less than the
   * second phase saves.
   */
  static final long PRUNE_FROM_POSTINGS = Long.getLong("magpie.search.pruneFromPostings", 1_000);

  private final long pruneFromPostings;

  /** What one search reads: its view's items and the cache of its view's text reading. */
  record Pinned(ReadingCache cache, ItemStore items) {
    IndexSearcher searcher() {
      return cache.searcher();
    }
  }

  private final TextIndex text;
  private final CatalogVocabulary vocabulary;
  private final QueryExpansion expansion;
  private final Analyzer queryAnalyzer;
  private final Map<String, Float> weights;
  private final List<String> correctionFields;
  private final boolean hasColours;

  /**
   * A planner over {@code text} with {@code items}' catalog vocabulary (brands, categories), {@code
   * knowledge}'s rewrites and synonyms and these field weights; {@code first} is the reading it
   * looks at once, to learn whether items carry colours.
   */
  QueryPlanner(
      TextIndex text,
      ItemStore items,
      Knowledge knowledge,
      Map<String, Float> weights,
      IndexSearcher first,
      long pruneFromPostings) {
    this.pruneFromPostings = pruneFromPostings;
    this.text = text;
    this.vocabulary = new CatalogVocabulary(items);
    this.expansion = new QueryExpansion(knowledge);
    this.queryAnalyzer = text.analyzer().forNormalizedText();
    this.weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    this.correctionFields =
        this.weights.entrySet().stream()
            .filter(w -> w.getValue() > 0 && !w.getKey().equals(TextFields.DESCRIPTION))
            .map(Map.Entry::getKey)
            .toList();
    this.hasColours = hasAttributeNamed(first, "color") || hasAttributeNamed(first, "colour");
  }

  /** The field weights, fields with no weight included. */
  Map<String, Float> weights() {
    return weights;
  }

  /** The knowledge rewrites and synonyms applied to queries. */
  QueryExpansion expansion() {
    return expansion;
  }

  /** A new, empty cache for the reading {@code searcher}. */
  ReadingCache cacheFor(IndexSearcher searcher) {
    return new ReadingCache(
        searcher, correctionFields, this::analyze, (cache, term) -> termInfo(cache, term));
  }

  /**
   * One term's BM25F query, whether any searched field holds it, and its BM25 idf (for vocabulary
   * coverage). Cached: CombinedFieldQuery measures its own memory by reflection when built, which
   * costs more than planning the rest of a search; the queries are immutable. One map lookup per
   * term serves every use.
   */
  record TermInfo(Query combined, boolean inIndex, double idf, long docFreq) {}

  QueryUnderstanding.Understanding understand(
      IndexSearcher searcher, QueryExpansion.Expanded expanded) {
    return QueryUnderstanding.understand(
        expanded.text(),
        vocabulary,
        hasColours ? (name, value) -> hasAttribute(searcher, name, value) : null);
  }

  /**
   * Everything decided before the index is searched: the query run ({@code query}: the scored
   * clauses with the filters), its scored part alone ({@code scored}, null when only filters
   * select), for a broad BM25F query the query whose best hits are rescored by it ({@code pruned},
   * else null), and what was understood on the way.
   */
  record Plan(
      Query query,
      Query scored,
      Query pruned,
      boolean hasText,
      String searchedText,
      List<String> terms,
      List<String> synonyms,
      List<Constraint> understood,
      SearchFilters filters,
      boolean fuzzy,
      List<String> notes) {}

  /**
   * Plans a search. Typo tolerance applies to words the index does not know; with {@code allWords},
   * to every word long enough (the retry when the strict query found too little).
   */
  Plan plan(Pinned pinned, SearchRequest request, boolean allWords) throws IOException {
    List<String> notes = new ArrayList<>();
    String query = request.query();
    SearchFilters filters = request.filters();
    List<Constraint> understood = new ArrayList<>();
    List<String> synonymTerms = List.of();
    Set<String> coveredBySynonyms = new HashSet<>();
    if (request.understand() && !query.isBlank()) {
      QueryExpansion.Expanded expanded = expansion.expand(query);
      QueryUnderstanding.Understanding u = understand(pinned.searcher(), expanded);
      query = u.text();
      filters = filters.refinedBy(u.filters(), notes);
      understood.addAll(expanded.applied());
      understood.addAll(u.constraints());
      synonymTerms = synonymTerms(expanded.synonyms());
      for (Constraint c : expanded.applied()) {
        if (c.kind().equals("synonym")) {
          coveredBySynonyms.addAll(analyze(c.text()));
        }
      }
    }
    List<String> terms = analyze(query);
    synonymTerms = synonymTerms.stream().filter(t -> !terms.contains(t)).toList();
    Query textQuery =
        terms.isEmpty() ? null : textQuery(pinned, terms, synonymTerms, request.fieldScoring());
    boolean fuzzy = false;
    if (request.fuzzy() && textQuery != null) {
      Query tolerant = typoTolerant(pinned, textQuery, terms, coveredBySynonyms, allWords);
      if (tolerant != null) {
        textQuery = tolerant;
        fuzzy = true;
      }
    }
    Query pruned =
        !fuzzy
                && textQuery != null
                && request.fieldScoring() == FieldScoring.COMBINED_FIELDS
                && postings(pinned.cache(), terms, synonymTerms) >= pruneFromPostings
            ? combine(
                pinned.items(), perFieldTerms(pinned.cache(), terms, synonymTerms), filters, notes)
            : null;
    return new Plan(
        combine(pinned.items(), textQuery, filters, notes),
        textQuery,
        pruned,
        textQuery != null,
        query,
        terms,
        synonymTerms,
        understood,
        filters,
        fuzzy,
        notes);
  }

  /** How many items the searched field that holds {@code term} most holds it in. */
  private long docFreq(IndexSearcher searcher, String term) {
    try {
      IndexReader reader = searcher.getIndexReader();
      long df = 0;
      for (Map.Entry<String, Float> w : weights.entrySet()) {
        if (w.getValue() > 0) {
          df = Math.max(df, CatalogSearcher.docFreq(reader, new Term(w.getKey(), term)));
        }
      }
      return df;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** BM25's inverse document frequency of a term held by {@code df} items, by its widest field. */
  private static double idf(IndexSearcher searcher, long df) {
    long docs = CatalogSearcher.catalogDocs(searcher);
    return Math.log(1 + (docs - df + 0.5) / (df + 0.5));
  }

  /** The analysed terms of {@code text}, each once, in order. */
  public List<String> analyze(String text) {
    if (QueryTerms.supports(this.text.analyzer().stemming())) {
      return QueryTerms.of(UnitNormalizer.normalize(text), this.text.analyzer().stemming());
    }
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream ts =
        queryAnalyzer.tokenStream(TextFields.TITLE, UnitNormalizer.normalize(text))) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        terms.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ArrayList<>(terms);
  }

  private List<String> synonymTerms(List<String> phrases) {
    Set<String> terms = new LinkedHashSet<>();
    for (String phrase : phrases) {
      terms.addAll(analyze(phrase));
    }
    return new ArrayList<>(terms);
  }

  /**
   * Postings a BM25F query over {@code terms} and {@code synonymTerms} reads, estimated: the sum of
   * each term's document frequency in the field holding it most (cached with the term).
   */
  private long postings(ReadingCache c, List<String> terms, List<String> synonymTerms) {
    long sum = 0;
    for (List<String> group : List.of(terms, synonymTerms)) {
      for (String term : group) {
        sum += termInfo(c, term).docFreq();
      }
    }
    return sum;
  }

  /**
   * Each term in each field as a clause of its own, boosted by the field's weight (synonyms at half
   * weight): plain BM25 per field, whose postings carry block-max impacts, so that Lucene skips the
   * blocks that cannot reach the best hits. It ranks nearly as BM25F does, which then rescores its
   * best ({@link TextSearcher}).
   */
  private Query perFieldTerms(ReadingCache c, List<String> terms, List<String> synonymTerms)
      throws IOException {
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    IndexReader reader = c.searcher().getIndexReader();
    for (List<String> group : List.of(terms, synonymTerms)) {
      float boost = group == terms ? 1f : SYNONYM_BOOST;
      for (String term : group) {
        for (Map.Entry<String, Float> w : weights.entrySet()) {
          Term t = new Term(w.getKey(), term);
          if (w.getValue() > 0 && CatalogSearcher.docFreq(reader, t) > 0) {
            all.add(
                new BoostQuery(new TermQuery(t), w.getValue() * boost), BooleanClause.Occur.SHOULD);
          }
        }
      }
    }
    return all.build();
  }

  private Query textQuery(
      Pinned pinned, List<String> terms, List<String> synonymTerms, FieldScoring scoring)
      throws IOException {
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    addTerms(pinned.cache(), all, terms, 1f, scoring);
    addTerms(pinned.cache(), all, synonymTerms, SYNONYM_BOOST, scoring);
    return all.build();
  }

  private void addTerms(
      ReadingCache c,
      BooleanQuery.Builder all,
      List<String> terms,
      float boost,
      FieldScoring scoring)
      throws IOException {
    if (terms.isEmpty()) {
      return;
    }
    IndexReader reader = c.searcher().getIndexReader();
    if (scoring == FieldScoring.COMBINED_FIELDS) {
      for (String term : terms) {
        Query combined = termInfo(c, term).combined();
        all.add(
            boost == 1f ? combined : new BoostQuery(combined, boost), BooleanClause.Occur.SHOULD);
      }
      return;
    }
    for (Map.Entry<String, Float> w : weights.entrySet()) {
      if (w.getValue() <= 0) {
        continue;
      }
      BooleanQuery.Builder field = new BooleanQuery.Builder();
      int clauses = 0;
      for (String term : terms) {
        Term t = new Term(w.getKey(), term);
        if (CatalogSearcher.docFreq(reader, t) > 0) {
          field.add(new TermQuery(t), BooleanClause.Occur.SHOULD);
          clauses++;
        }
      }
      if (clauses > 0) {
        all.add(new BoostQuery(field.build(), w.getValue() * boost), BooleanClause.Occur.SHOULD);
      }
    }
  }

  TermInfo termInfo(ReadingCache c, String term) {
    return c.termInfo(term, t -> newTermInfo(c.searcher(), t));
  }

  private TermInfo newTermInfo(IndexSearcher searcher, String term) {
    CombinedFieldQuery.Builder combined = new CombinedFieldQuery.Builder(term);
    for (Map.Entry<String, Float> w : weights.entrySet()) {
      if (w.getValue() > 0) {
        // CombinedFieldQuery needs weights of at least 1: scale so the smallest is 1.
        combined.addField(w.getKey(), w.getValue() / minWeight());
      }
    }
    long df = docFreq(searcher, term);
    return new TermInfo(
        new HashCachingQuery(combined.build()), inIndex(searcher, term), idf(searcher, df), df);
  }

  private float minWeight() {
    float min = Float.MAX_VALUE;
    for (float w : weights.values()) {
      if (w > 0) {
        min = Math.min(min, w);
      }
    }
    return min;
  }

  /** Terms long enough, and free of digits, to be retried with typo tolerance. */
  private static List<String> fuzzyCandidates(List<String> terms) {
    List<String> candidates = new ArrayList<>();
    for (String term : terms) {
      if (SpellingCorrector.mayBeTypo(term)) {
        candidates.add(term);
      }
    }
    return candidates;
  }

  /** Terms no searched field contains: candidates for a typo. One terms enum per field, reused. */
  private List<String> unknownTerms(ReadingCache c, List<String> terms) {
    List<String> unknown = new ArrayList<>();
    for (String term : fuzzyCandidates(terms)) {
      if (!termInfo(c, term).inIndex()) {
        unknown.add(term);
      }
    }
    return unknown;
  }

  /** Whether any searched field holds {@code term}. */
  private boolean inIndex(IndexSearcher searcher, String term) {
    try {
      BytesRef bytes = new BytesRef(term);
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        for (String field : weights.keySet()) {
          Terms fieldTerms = leaf.reader().terms(field);
          if (fieldTerms != null && fieldTerms.iterator().seekExact(bytes)) {
            return true;
          }
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code strict} with typo tolerance for the words that need it (unknown words, or all long
   * enough words when {@code allWords}), minus {@code covered}; null when no word needs it.
   */
  private Query typoTolerant(
      Pinned pinned, Query strict, List<String> terms, Set<String> covered, boolean allWords)
      throws IOException {
    List<String> words =
        new ArrayList<>(allWords ? fuzzyCandidates(terms) : unknownTerms(pinned.cache(), terms));
    words.removeAll(covered);
    return words.isEmpty() ? null : withFuzzy(pinned.cache(), strict, words);
  }

  private Query withFuzzy(ReadingCache c, Query strict, List<String> unknown) throws IOException {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(strict, BooleanClause.Occur.SHOULD);
    for (String term : unknown) {
      int edits = term.length() <= 5 ? 1 : 2;
      for (String field : List.of(TextFields.TITLE, TextFields.BRAND)) {
        float weight = weights.getOrDefault(field, 0f);
        if (weight > 0) {
          b.add(
              new BoostQuery(fuzzyTerms(c, field, term, edits), weight * FUZZY_BOOST),
              BooleanClause.Occur.SHOULD);
        }
      }
    }
    return b.build();
  }

  /**
   * The terms of {@code field} within {@code edits} of {@code term}, as the rewritten query Lucene
   * would search for a FuzzyQuery. Cached: building the Levenshtein automata and walking the terms
   * dictionary was the largest part of a hybrid search's tail (JFR, HybridSearchBenchmark), and it
   * was repeated for every search and for scoring candidates; the rewrite is fixed for a snapshot.
   */
  private Query fuzzyTerms(ReadingCache v, String field, String term, int edits)
      throws IOException {
    String key = field + '\u0000' + edits + term;
    return v.fuzzyRewrite(
        key, k -> v.searcher().rewrite(new FuzzyQuery(new Term(field, term), edits, 1)));
  }

  private Query combine(
      ItemStore items, Query textQuery, SearchFilters filters, List<String> notes) {
    if (textQuery != null && filters.isEmpty() && items.withdrawnCount() == 0) {
      return textQuery;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(textQuery == null ? MatchAllDocsQuery.INSTANCE : textQuery, BooleanClause.Occur.MUST);
    ItemFilter filter = ItemFilter.of(items, filters, vocabulary, notes);
    if (filter != null) {
      b.add(new ItemFilterQuery(filter), BooleanClause.Occur.FILTER);
    }
    for (Map.Entry<String, String> a : filters.attributes().entrySet()) {
      Term pair =
          new Term(TextFields.ATTRIBUTE_PAIRS, TextFields.attributePair(a.getKey(), a.getValue()));
      b.add(new TermQuery(pair), BooleanClause.Occur.FILTER);
    }
    return b.build();
  }

  /** Whether any item has attribute {@code name}, whatever its value. */
  static boolean hasAttributeNamed(IndexSearcher searcher, String name) {
    try {
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        Terms terms = leaf.reader().terms(TextFields.ATTRIBUTE_PAIRS);
        if (terms != null) {
          TermsEnum te = terms.iterator();
          BytesRef prefix = new BytesRef(name + "=");
          if (te.seekCeil(prefix) != TermsEnum.SeekStatus.END
              && StringHelper.startsWith(te.term(), prefix)) {
            return true;
          }
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean hasAttribute(IndexSearcher searcher, String name, String value) {
    try {
      return CatalogSearcher.docFreq(
              searcher.getIndexReader(),
              new Term(TextFields.ATTRIBUTE_PAIRS, TextFields.attributePair(name, value)))
          > 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
