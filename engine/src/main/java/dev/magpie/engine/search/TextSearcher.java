package dev.magpie.engine.search;

import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.View;
import dev.magpie.engine.text.TextFields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;

/**
 * BM25 search over one snapshot: understands the query, analyses it with the index's analyzer,
 * scores each term in every text field (weighted), retries unknown words with typo tolerance,
 * applies filters inside the Lucene search, and explains each hit. Thread-safe; create one per
 * snapshot.
 */
public final class TextSearcher {
  /** Default field weights: the title says most about a product, the description least. */
  public static final Map<String, Float> DEFAULT_WEIGHTS = weights(2.0f, 1.5f, 1.2f, 1.0f, 0.5f);

  /** A strict search with fewer hits than this (or than k) is retried with typo tolerance. */
  private static final int TOO_FEW_HITS = 10;

  /**
   * How a search treats the retry with typo tolerance: as a single node does, or as one phase of a
   * search over shards, where only every shard's strict hits together tell whether the catalog has
   * too few.
   */
  public enum TypoRetry {
    /** Retry when the strict query finds too few hits here: a single node. */
    AUTO,
    /** The strict query only (phase one on a shard). */
    STRICT,
    /** The typo-tolerant query whenever the request allows one (phase two on a shard). */
    TOLERANT
  }

  /**
   * Whether a search for {@code k} hits that found {@code strictHits} in the whole catalog with its
   * strict query is retried with typo tolerance, as {@link TypoRetry#AUTO} decides on one node.
   */
  public static boolean tooFewHits(int k, long strictHits) {
    return strictHits < Math.min(k, TOO_FEW_HITS);
  }

  private final Snapshot snapshot;
  private final QueryPlanner planner;

  /** The cache of the reading searched last; a new reading gets a new, empty one. */
  private volatile ReadingCache cache;

  /** A searcher over {@code snapshot} with the default field weights. */
  public TextSearcher(Snapshot snapshot) {
    this(snapshot, DEFAULT_WEIGHTS);
  }

  /** A searcher over {@code snapshot} with these field weights (fields missing weigh nothing). */
  public TextSearcher(Snapshot snapshot, Map<String, Float> weights) {
    this(snapshot, weights, QueryPlanner.PRUNE_FROM_POSTINGS);
  }

  /**
   * A searcher whose BM25F queries reading at least {@code pruneFromPostings} postings run in two
   * phases ({@link #topDocs}; 0: every one, {@link Long#MAX_VALUE}: none).
   */
  TextSearcher(Snapshot snapshot, Map<String, Float> weights, long pruneFromPostings) {
    this.snapshot = snapshot;
    IndexSearcher first = snapshot.text().searcher();
    this.planner =
        new QueryPlanner(
            snapshot.text(),
            snapshot.items(),
            snapshot.knowledge(),
            weights,
            first,
            pruneFromPostings);
    this.cache = planner.cacheFor(first);
  }

  /**
   * What a search over {@code view} reads: the cache of its text reading (a new, empty one after
   * items were added; kept for the searches that follow), and its items.
   */
  private QueryPlanner.Pinned pin(View view) {
    ReadingCache c = cache;
    if (c.searcher() != view.textSearcher()) {
      c = planner.cacheFor(view.textSearcher());
      cache = c;
    }
    return new QueryPlanner.Pinned(c, view.items());
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

  /** As {@link #search(View, SearchRequest)}, the typo retry as {@code retry} says. */
  public SearchResult search(View view, SearchRequest request, TypoRetry retry) throws IOException {
    return execute(view, request, retry).result(request.explain());
  }

  /**
   * The Lucene query {@code request} runs first, with filters: for diagnostics, and for benchmarks
   * that compare Magpie's whole search with Lucene executing the same query.
   */
  public Query luceneQuery(SearchRequest request) throws IOException {
    return overCurrentView(view -> planner.plan(pin(view), request, false).query());
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
    private final QueryPlanner.Pinned pinned;
    private final IndexSearcher searcher;
    private final QueryPlanner.Plan plan;
    private final TopDocs top;
    private final Query strict;
    private final boolean typoRetryAllowed;
    private Weight scoring;
    private ClauseExplainer explainer;

    /**
     * @param scoring the plan's scoring weight when the search already made one (a pruned search's
     *     second phase), else null: made when first needed
     */
    private Execution(
        QueryPlanner.Pinned pinned,
        QueryPlanner.Plan plan,
        TopDocs top,
        Query strict,
        boolean typoRetryAllowed,
        Weight scoring) {
      this.pinned = pinned;
      this.searcher = pinned.searcher();
      this.plan = plan;
      this.top = top;
      this.strict = strict;
      this.typoRetryAllowed = typoRetryAllowed;
      this.scoring = scoring;
    }

    /** The hits, explained or not. */
    SearchResult result(boolean explain) throws IOException {
      List<SearchHit> hits = new ArrayList<>(top.scoreDocs.length);
      int[] docs = new int[top.scoreDocs.length];
      for (int i = 0; i < docs.length; i++) {
        docs[i] = top.scoreDocs[i].doc;
      }
      List<List<TermMatch>> explained = explain ? explain(docs) : null;
      for (int i = 0; i < docs.length; i++) {
        ScoreDoc sd = top.scoreDocs[i];
        List<TermMatch> matches = explain ? explained.get(i) : List.of();
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
          plan.notes(),
          typoRetryAllowed);
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
        scoring = scoringWeight(searcher, plan);
      }
      return exactScores(searcher, scoring, ordinals);
    }

    /**
     * The fields and terms that matched each of {@code ordinals} (none negative), largest first;
     * empty where none did.
     */
    List<List<TermMatch>> explain(int[] ordinals) throws IOException {
      if (!plan.hasText()) {
        return HybridResult.NO_TEXT.matches(ordinals);
      }
      if (explainer == null) {
        explainer =
            new ClauseExplainer(
                searcher,
                plan.scored(),
                List.copyOf(planner.weights().keySet()),
                plan.terms(),
                plan.synonyms());
      }
      return explainer.explain(ordinals);
    }
  }

  /**
   * Runs {@code request}'s search, retrying with typo tolerance when the strict query finds too
   * little.
   */
  Execution execute(View view, SearchRequest request) throws IOException {
    return execute(view, request, TypoRetry.AUTO);
  }

  Execution execute(View view, SearchRequest request, TypoRetry retry) throws IOException {
    QueryPlanner.Pinned pinned = pin(view);
    IndexSearcher searcher = pinned.searcher();
    QueryPlanner.Plan plan = planner.plan(pinned, request, false);
    if (retry == TypoRetry.TOLERANT && retryAllowed(request, plan)) {
      QueryPlanner.Plan tolerant = planner.plan(pinned, request, true);
      if (tolerant.fuzzy()) {
        return new Execution(
            pinned,
            tolerant,
            searcher.search(tolerant.query(), request.k()),
            plan.query(),
            false,
            null);
      }
    }
    Ranked ranked = topDocs(searcher, plan, request.k());
    if (retry == TypoRetry.AUTO
        && retryAllowed(request, plan)
        && tooFewHits(request.k(), ranked.top().scoreDocs.length)) {
      QueryPlanner.Plan tolerant = planner.plan(pinned, request, true);
      if (tolerant.fuzzy()) {
        return new Execution(
            pinned,
            tolerant,
            searcher.search(tolerant.query(), request.k()),
            plan.query(),
            false,
            null);
      }
    }
    return new Execution(
        pinned, plan, ranked.top(), null, retryAllowed(request, plan), ranked.scoring());
  }

  /**
   * A plan's best hits, and the weight that scored them when it had to be made for that (the second
   * phase of a pruned search), else null.
   */
  private record Ranked(TopDocs top, Weight scoring) {}

  /** The weight that scores {@code plan}'s hits. */
  private static Weight scoringWeight(IndexSearcher searcher, QueryPlanner.Plan plan)
      throws IOException {
    return searcher.createWeight(searcher.rewrite(plan.query()), ScoreMode.COMPLETE, 1f);
  }

  /**
   * The best {@code k} hits of {@code plan}. A broad BM25F query ({@link QueryPlanner.Plan#pruned})
   * runs in two phases: per-field BM25, which Lucene prunes by block-max impacts, finds the best
   * {@value #PRUNED_DEPTH} times k (at least {@value #PRUNED_MIN}); BM25F then scores exactly those
   * and keeps the best k. CombinedFieldQuery has one bound for all of a term's postings, so a BM25F
   * query alone scores every match (all 100,000 of "men's running shoes" at a million items).
   */
  private static Ranked topDocs(IndexSearcher searcher, QueryPlanner.Plan plan, int k)
      throws IOException {
    if (plan.pruned() == null) {
      return new Ranked(searcher.search(plan.query(), k), null);
    }
    TopDocs first = searcher.search(plan.pruned(), Math.max(PRUNED_MIN, PRUNED_DEPTH * k));
    int[] docs = new int[first.scoreDocs.length];
    for (int i = 0; i < docs.length; i++) {
      docs[i] = first.scoreDocs[i].doc;
    }
    Weight weight = scoringWeight(searcher, plan);
    float[] scores = exactScores(searcher, weight, docs);
    Integer[] order = new Integer[docs.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Best score first, ties by document, as Lucene's collector orders them.
    Arrays.sort(
        order,
        (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : docs[a] - docs[b]);
    ScoreDoc[] best = new ScoreDoc[Math.min(k, order.length)];
    for (int i = 0; i < best.length; i++) {
      best[i] = new ScoreDoc(docs[order[i]], scores[order[i]]);
    }
    return new Ranked(new TopDocs(first.totalHits, best), weight);
  }

  /** Hits the first phase of a pruned search finds, per hit asked for. */
  static final int PRUNED_DEPTH = 4;

  /** Hits the first phase of a pruned search finds at least. */
  static final int PRUNED_MIN = 200;

  /**
   * The score {@code weight} gives each of {@code docs} (top-level document ids): 0 where it does
   * not match.
   */
  static float[] exactScores(IndexSearcher searcher, Weight weight, int[] docs) throws IOException {
    float[] scores = new float[docs.length];
    Integer[] order = new Integer[docs.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> docs[i]));
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      Scorer scorer = weight.scorer(leaf);
      if (scorer == null) {
        continue;
      }
      DocIdSetIterator it = scorer.iterator();
      for (int i : order) {
        int doc = docs[i] - leaf.docBase;
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

  private static boolean retryAllowed(SearchRequest request, QueryPlanner.Plan strict) {
    return request.fuzzy() && !strict.fuzzy() && strict.hasText();
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
    QueryExpansion.Expanded expanded = planner.expansion().expand(request.query());
    QueryUnderstanding.Understanding u = planner.understand(view.textSearcher(), expanded);
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
   * The BM25 score {@link #search} gives each of {@code ordinals} for {@code request}, whatever k:
   * 0 where the query or a filter does not match. For scoring candidates found another way, and for
   * evaluation.
   */
  public float[] score(SearchRequest request, int[] ordinals) throws IOException {
    return overCurrentView(view -> execute(view, request).score(ordinals));
  }

  /**
   * The fields and terms that matched each of {@code ordinals} (a negative one: none), by the query
   * a search of {@code request} over {@code view} runs in the typo phase {@code retry}.
   */
  public List<List<TermMatch>> explain(
      View view, SearchRequest request, TypoRetry retry, List<Integer> ordinals)
      throws IOException {
    return HybridResult.explainKnown(execute(view, request, retry)::explain, ordinals);
  }

  /** As {@link #score(SearchRequest, int[])} over {@code view}, the typo retry as given. */
  public float[] score(View view, SearchRequest request, TypoRetry retry, int[] ordinals)
      throws IOException {
    return execute(view, request, retry).score(ordinals);
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
    return pin(view).cache().spelling().correct(text, leaveAlone);
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
    ReadingCache c = pin(view).cache();
    double known = 0;
    double all = 0;
    for (String term : planner.analyze(text)) {
      QueryPlanner.TermInfo info = planner.termInfo(c, term);
      if (info.inIndex() || countsIfUnknown.test(term)) {
        all += info.idf();
        known += info.inIndex() ? info.idf() : 0;
      }
    }
    return all == 0 ? 1f : (float) (known / all);
  }

  /** The analysed terms of {@code text}, each once, in order (the index's query analysis). */
  public List<String> analyze(String text) {
    return planner.analyze(text);
  }
}
