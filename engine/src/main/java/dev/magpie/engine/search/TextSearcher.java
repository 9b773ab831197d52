package dev.magpie.engine.search;

import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.View;
import dev.magpie.engine.text.QueryTerms;
import dev.magpie.engine.text.TextFields;
import dev.magpie.engine.text.TextIndex;
import dev.magpie.engine.text.UnitNormalizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
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
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;

/**
 * BM25 search over one snapshot: understands the query, analyses it with the index's analyzer,
 * scores each term in every text field (weighted), retries unknown words with typo tolerance,
 * applies filters inside the Lucene search, and explains each hit. Thread-safe; create one per
 * snapshot.
 */
public final class TextSearcher {
  /** Default field weights: the title says most about a product, the description least. */
  public static final Map<String, Float> DEFAULT_WEIGHTS = weights(2.0f, 1.5f, 1.2f, 1.0f, 0.5f);

  private static final float FUZZY_BOOST = 0.5f;
  private static final float SYNONYM_BOOST = 0.5f;
  private static final int MAX_CACHED_QUERIES = 100_000;

  /** A strict search with fewer hits than this (or than k) is retried with typo tolerance. */
  private static final int TOO_FEW_HITS = 10;

  private final ItemStore items;
  private final Snapshot snapshot;
  private final TextIndex text;
  private final CatalogVocabulary vocabulary;
  private final QueryExpansion expansion;
  private final Analyzer queryAnalyzer;
  private final boolean hasColours;
  private final Map<String, Float> weights;
  private final List<String> correctionFields;

  /** The reading of the index searched last, with what is cached for it. */
  private volatile IndexCache cache;

  /**
   * One reading of the text index (it changes when items are added live) and what is fixed for it:
   * fuzzy queries rewritten to the terms they match (by field, edits and term), what planning needs
   * of each analysed term, and spelling corrections; all bounded.
   */
  private final class IndexCache {
    final IndexSearcher searcher;
    final ConcurrentHashMap<String, Query> fuzzyRewrites = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, TermInfo> termInfos = new ConcurrentHashMap<>();
    final SpellingCorrector spelling;

    IndexCache(IndexSearcher searcher) {
      this.searcher = searcher;
      this.spelling =
          new SpellingCorrector(
              searcher.getIndexReader(),
              correctionFields,
              TextSearcher.this::analyze,
              term -> termInfo(this, term).inIndex());
    }
  }

  /** What one search reads: its view's items and the cache of its view's text reading. */
  private record Pinned(IndexCache cache, ItemStore items) {
    IndexSearcher searcher() {
      return cache.searcher;
    }
  }

  /**
   * One term's BM25F query, whether any searched field holds it, and its BM25 idf (for vocabulary
   * coverage). Cached: CombinedFieldQuery measures its own memory by reflection when built, which
   * costs more than planning the rest of a search; the queries are immutable. One map lookup per
   * term serves every use.
   */
  private record TermInfo(Query combined, boolean inIndex, double idf) {}

  /** A searcher over {@code snapshot} with the default field weights. */
  public TextSearcher(Snapshot snapshot) {
    this(snapshot, DEFAULT_WEIGHTS);
  }

  /** A searcher over {@code snapshot} with these field weights (fields missing weigh nothing). */
  public TextSearcher(Snapshot snapshot, Map<String, Float> weights) {
    this.snapshot = snapshot;
    this.items = snapshot.items();
    this.text = snapshot.text();
    this.vocabulary = new CatalogVocabulary(items);
    this.expansion = new QueryExpansion(snapshot.knowledge());
    this.queryAnalyzer = text.analyzer().forNormalizedText();
    this.weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    this.correctionFields =
        this.weights.entrySet().stream()
            .filter(w -> w.getValue() > 0 && !w.getKey().equals(TextFields.DESCRIPTION))
            .map(Map.Entry::getKey)
            .toList();
    this.cache = new IndexCache(text.searcher());
    this.hasColours =
        hasAttributeNamed(cache.searcher, "color") || hasAttributeNamed(cache.searcher, "colour");
  }

  /**
   * What a search over {@code view} reads: the cache of its text reading (a new, empty one after
   * items were added; kept for the searches that follow), and its items.
   */
  private Pinned pin(View view) {
    IndexCache c = cache;
    if (c.searcher != view.textSearcher()) {
      c = new IndexCache(view.textSearcher());
      cache = c;
    }
    return new Pinned(c, view.items());
  }

  /** Runs {@code work} over the snapshot's current view, held for its duration. */
  private <T> T overCurrentView(ViewWork<T> work) throws IOException {
    try (View view = snapshot.views().acquire()) {
      return work.run(view);
    }
  }

  @FunctionalInterface
  private interface ViewWork<T> {
    T run(View view) throws IOException;
  }

  /** Weights for title, brand, category, attributes and description. */
  public static Map<String, Float> weights(
      float title, float brand, float category, float attributes, float description) {
    Map<String, Float> w = new LinkedHashMap<>();
    w.put(TextFields.TITLE, title);
    w.put(TextFields.BRAND, brand);
    w.put(TextFields.CATEGORY, category);
    w.put(TextFields.ATTRIBUTES, attributes);
    w.put(TextFields.DESCRIPTION, description);
    return w;
  }

  /** Runs a search over the snapshot's current view. */
  public SearchResult search(SearchRequest request) throws IOException {
    return overCurrentView(view -> search(view, request));
  }

  /** Runs a search over {@code view}. */
  public SearchResult search(View view, SearchRequest request) throws IOException {
    return execute(view, request).result(request.explain());
  }

  /**
   * The Lucene query {@code request} runs first, with filters: for diagnostics, and for benchmarks
   * that compare Magpie's whole search with Lucene executing the same query.
   */
  public Query luceneQuery(SearchRequest request) throws IOException {
    return overCurrentView(view -> plan(pin(view), request, false).query());
  }

  /**
   * Every Lucene query {@link #search} runs for {@code request}, in order: the strict query, then
   * the typo-tolerant retry when the strict one found too little. Runs the strict query to decide.
   */
  public List<Query> luceneQueries(SearchRequest request) throws IOException {
    return overCurrentView(
        view -> {
          Execution run = execute(view, request);
          return run.strict == null
              ? List.of(run.plan.query())
              : List.of(run.strict, run.plan.query());
        });
  }

  /**
   * A search that ran: the plan whose hits it returns, those hits, and the strict query it replaced
   * (if any). Scores and explains other items by the same query, so that a caller fusing this
   * channel with another one scores every candidate alike. Not thread-safe; one per search.
   */
  final class Execution {
    private final Pinned pinned;
    private final IndexSearcher searcher;
    private final Plan plan;
    private final TopDocs top;
    private final Query strict;
    private Weight scoring;
    private ClauseExplainer explainer;

    private Execution(Pinned pinned, Plan plan, TopDocs top, Query strict) {
      this.pinned = pinned;
      this.searcher = pinned.searcher();
      this.plan = plan;
      this.top = top;
      this.strict = strict;
    }

    /** The hits, explained or not. */
    SearchResult result(boolean explain) throws IOException {
      List<SearchHit> hits = new ArrayList<>(top.scoreDocs.length);
      for (ScoreDoc sd : top.scoreDocs) {
        List<TermMatch> matches = explain ? explain(sd.doc) : List.of();
        hits.add(
            new SearchHit(
                sd.doc,
                pinned.items().externalId(sd.doc),
                plan.hasText() ? sd.score : 0f,
                matches));
      }
      return new SearchResult(
          hits,
          top.totalHits.value(),
          plan.searchedText(),
          plan.understood(),
          plan.filters(),
          plan.fuzzy(),
          plan.notes());
    }

    /**
     * The score this search gives each of {@code ordinals}: 0 where the query or a filter does not
     * match.
     */
    float[] score(int[] ordinals) throws IOException {
      float[] scores = new float[ordinals.length];
      if (!plan.hasText() || ordinals.length == 0) {
        return scores;
      }
      if (scoring == null) {
        scoring = searcher.createWeight(searcher.rewrite(plan.query()), ScoreMode.COMPLETE, 1f);
      }
      Integer[] order = new Integer[ordinals.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, Comparator.comparingInt(i -> ordinals[i]));
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        Scorer scorer = scoring.scorer(leaf);
        if (scorer == null) {
          continue;
        }
        DocIdSetIterator it = scorer.iterator();
        for (int i : order) {
          int doc = ordinals[i] - leaf.docBase;
          if (doc < 0 || doc >= leaf.reader().maxDoc()) {
            continue;
          }
          int at = it.docID() >= doc ? it.docID() : it.advance(doc);
          if (at == doc) {
            scores[i] = scorer.score();
          }
        }
      }
      return scores;
    }

    /**
     * The fields and terms that matched item {@code ordinal}, largest first; empty when none did.
     */
    List<TermMatch> explain(int ordinal) throws IOException {
      if (!plan.hasText()) {
        return List.of();
      }
      if (explainer == null) {
        explainer =
            new ClauseExplainer(
                searcher,
                plan.scored(),
                List.copyOf(weights.keySet()),
                plan.terms(),
                plan.synonyms());
      }
      return explainer.explain(ordinal);
    }
  }

  /**
   * Runs {@code request}'s search, retrying with typo tolerance when the strict query finds too
   * little.
   */
  Execution execute(View view, SearchRequest request) throws IOException {
    Pinned pinned = pin(view);
    IndexSearcher searcher = pinned.searcher();
    Plan plan = plan(pinned, request, false);
    TopDocs top = searcher.search(plan.query(), request.k());
    if (request.fuzzy()
        && !plan.fuzzy()
        && plan.hasText()
        && top.scoreDocs.length < Math.min(request.k(), TOO_FEW_HITS)) {
      Plan tolerant = plan(pinned, request, true);
      if (tolerant.fuzzy()) {
        return new Execution(
            pinned, tolerant, searcher.search(tolerant.query(), request.k()), plan.query());
      }
    }
    return new Execution(pinned, plan, top, null);
  }

  private QueryUnderstanding.Understanding understand(
      IndexSearcher searcher, QueryExpansion.Expanded expanded) {
    return QueryUnderstanding.understand(
        expanded.text(),
        vocabulary,
        hasColours ? (name, value) -> hasAttribute(searcher, name, value) : null);
  }

  /**
   * What query understanding makes of {@code request} (nothing when it is off): the text left to
   * search once stated constraints are taken out, the request's filters with those constraints
   * added, and the constraints. Another channel (vector search) uses it to search the same thing.
   */
  public Understood understand(SearchRequest request) {
    try (View view = snapshot.views().acquire()) {
      return understand(view, request);
    }
  }

  /** As {@link #understand(SearchRequest)}, over {@code view}. */
  public Understood understand(View view, SearchRequest request) {
    if (!request.understand() || request.query().isBlank()) {
      return new Understood(request.query(), request.filters(), List.of());
    }
    QueryExpansion.Expanded expanded = expansion.expand(request.query());
    QueryUnderstanding.Understanding u = understand(view.textSearcher(), expanded);
    List<Constraint> constraints = new ArrayList<>(expanded.applied());
    constraints.addAll(u.constraints());
    return new Understood(
        u.text(), request.filters().refinedBy(u.filters(), new ArrayList<>()), constraints);
  }

  /**
   * A request as understood.
   *
   * @param text the text to search, constraints taken out
   * @param filters the request's filters and the constraints'
   * @param constraints what was taken out and applied (synonym expansions included)
   */
  public record Understood(String text, SearchFilters filters, List<Constraint> constraints) {
    /** Copies the list. */
    public Understood {
      constraints = List.copyOf(constraints);
    }
  }

  /**
   * Everything decided before the index is searched: the query run ({@code query}: the scored
   * clauses with the filters), its scored part alone ({@code scored}, null when only filters
   * select), and what was understood on the way.
   */
  private record Plan(
      Query query,
      Query scored,
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
  private Plan plan(Pinned pinned, SearchRequest request, boolean allWords) throws IOException {
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
    return new Plan(
        combine(pinned.items(), textQuery, filters, notes),
        textQuery,
        textQuery != null,
        query,
        terms,
        synonymTerms,
        understood,
        filters,
        fuzzy,
        notes);
  }

  /**
   * The BM25 score {@link #search} gives each of {@code ordinals} for {@code request}, whatever k:
   * 0 where the query or a filter does not match. For scoring candidates found another way, and for
   * evaluation.
   */
  public float[] score(SearchRequest request, int[] ordinals) throws IOException {
    return overCurrentView(view -> execute(view, request).score(ordinals));
  }

  /**
   * {@code text} with each word that no searched field holds replaced by the indexed term a typo
   * away that most items hold (see {@link SpellingCorrector}): for a channel that cannot read
   * typos.
   */
  SpellingCorrector.Corrected correctSpelling(String text, Predicate<String> leaveAlone) {
    try (View view = snapshot.views().acquire()) {
      return correctSpelling(view, text, leaveAlone);
    }
  }

  /** As {@link #correctSpelling(String, Predicate)}, by {@code view}'s text reading. */
  SpellingCorrector.Corrected correctSpelling(
      View view, String text, Predicate<String> leaveAlone) {
    return pin(view).cache().spelling.correct(text, leaveAlone);
  }

  /**
   * How much of {@code text} the catalog's words cover, weighted as BM25 weighs terms: the summed
   * inverse document frequency of its terms that some searched field holds, over that of all its
   * terms that count, a term no item holds having the largest. A query whose main words the catalog
   * never uses ("boots for jogging on pavement": "jogging" and "pavement") covers little, whatever
   * BM25 finds for the rest. 1 when no term counts.
   *
   * @param countsIfUnknown whether a term no item holds counts (a word the vector channel's model
   *     knows does; an unknown typo or code need not)
   */
  public float vocabularyCoverage(String text, Predicate<String> countsIfUnknown) {
    try (View view = snapshot.views().acquire()) {
      return vocabularyCoverage(view, text, countsIfUnknown);
    }
  }

  /** As {@link #vocabularyCoverage(String, Predicate)}, by {@code view}'s text reading. */
  public float vocabularyCoverage(View view, String text, Predicate<String> countsIfUnknown) {
    IndexCache c = pin(view).cache();
    double known = 0;
    double all = 0;
    for (String term : analyze(text)) {
      TermInfo info = termInfo(c, term);
      if (info.inIndex() || countsIfUnknown.test(term)) {
        all += info.idf();
        known += info.inIndex() ? info.idf() : 0;
      }
    }
    return all == 0 ? 1f : (float) (known / all);
  }

  /**
   * BM25's inverse document frequency of {@code term}, by the searched field that holds it most.
   */
  private double idf(IndexSearcher searcher, String term) {
    try {
      IndexReader reader = searcher.getIndexReader();
      int df = 0;
      for (Map.Entry<String, Float> w : weights.entrySet()) {
        if (w.getValue() > 0) {
          df = Math.max(df, reader.docFreq(new Term(w.getKey(), term)));
        }
      }
      return Math.log(1 + (reader.maxDoc() - df + 0.5) / (df + 0.5));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  private Query textQuery(
      Pinned pinned, List<String> terms, List<String> synonymTerms, FieldScoring scoring)
      throws IOException {
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    addTerms(pinned.cache(), all, terms, 1f, scoring);
    addTerms(pinned.cache(), all, synonymTerms, SYNONYM_BOOST, scoring);
    return all.build();
  }

  private void addTerms(
      IndexCache c, BooleanQuery.Builder all, List<String> terms, float boost, FieldScoring scoring)
      throws IOException {
    if (terms.isEmpty()) {
      return;
    }
    IndexReader reader = c.searcher.getIndexReader();
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
        if (reader.docFreq(t) > 0) {
          field.add(new TermQuery(t), BooleanClause.Occur.SHOULD);
          clauses++;
        }
      }
      if (clauses > 0) {
        all.add(new BoostQuery(field.build(), w.getValue() * boost), BooleanClause.Occur.SHOULD);
      }
    }
  }

  private TermInfo termInfo(IndexCache c, String term) {
    ConcurrentHashMap<String, TermInfo> termInfos = c.termInfos;
    TermInfo cached = termInfos.get(term);
    if (cached != null) {
      return cached;
    }
    CombinedFieldQuery.Builder combined = new CombinedFieldQuery.Builder(term);
    for (Map.Entry<String, Float> w : weights.entrySet()) {
      if (w.getValue() > 0) {
        // CombinedFieldQuery needs weights of at least 1: scale so the smallest is 1.
        combined.addField(w.getKey(), w.getValue() / minWeight());
      }
    }
    TermInfo info =
        new TermInfo(
            new HashCachingQuery(combined.build()),
            inIndex(c.searcher, term),
            idf(c.searcher, term));
    if (termInfos.size() >= MAX_CACHED_QUERIES) {
      termInfos.clear();
    }
    termInfos.put(term, info);
    return info;
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
  private List<String> unknownTerms(IndexCache c, List<String> terms) {
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

  private Query withFuzzy(IndexCache c, Query strict, List<String> unknown) throws IOException {
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
  private Query fuzzyTerms(IndexCache v, String field, String term, int edits) throws IOException {
    String key = field + '\u0000' + edits + term;
    Query cached = v.fuzzyRewrites.get(key);
    if (cached == null) {
      cached = v.searcher.rewrite(new FuzzyQuery(new Term(field, term), edits, 1));
      if (v.fuzzyRewrites.size() >= MAX_CACHED_QUERIES) {
        v.fuzzyRewrites.clear();
      }
      v.fuzzyRewrites.put(key, cached);
    }
    return cached;
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
  private static boolean hasAttributeNamed(IndexSearcher searcher, String name) {
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
      return searcher
              .getIndexReader()
              .docFreq(new Term(TextFields.ATTRIBUTE_PAIRS, TextFields.attributePair(name, value)))
          > 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
