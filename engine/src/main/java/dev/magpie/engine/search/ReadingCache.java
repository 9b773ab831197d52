package dev.magpie.engine.search;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;

/**
 * What text search keeps for one reading of the text index (a new reading comes with each batch of
 * items added live): what planning needs of each analysed term ({@link QueryPlanner.TermInfo}),
 * fuzzy queries rewritten to the terms they match, and the spelling corrector over the reading.
 * Bounded by size with least-recently-used eviction (Caffeine), never cleared wholesale on a
 * query's path. Thread-safe.
 */
final class ReadingCache {
  /** Terms and fuzzy rewrites kept at most, each (a few hundred bytes apiece). */
  static final int MAX_ENTRIES = 100_000;

  private final IndexSearcher searcher;
  private final Cache<String, QueryPlanner.TermInfo> terms =
      Caffeine.newBuilder().maximumSize(MAX_ENTRIES).executor(Runnable::run).build();
  private final Cache<String, Query> fuzzy =
      Caffeine.newBuilder().maximumSize(MAX_ENTRIES).executor(Runnable::run).build();
  private final SpellingCorrector spelling;

  /**
   * The cache of {@code searcher}'s reading.
   *
   * @param correctionFields the fields spelling corrections come from
   * @param analyze the query analysis
   * @param termInfo computes a term's info through this cache
   */
  ReadingCache(
      IndexSearcher searcher,
      List<String> correctionFields,
      Function<String, List<String>> analyze,
      BiFunction<ReadingCache, String, QueryPlanner.TermInfo> termInfo) {
    this.searcher = searcher;
    this.spelling =
        new SpellingCorrector(
            searcher.getIndexReader(),
            correctionFields,
            analyze,
            term -> termInfo.apply(this, term).inIndex());
  }

  /** The reading's searcher. */
  IndexSearcher searcher() {
    return searcher;
  }

  /** The spelling corrector over the reading. */
  SpellingCorrector spelling() {
    return spelling;
  }

  /** {@code term}'s info, computed by {@code compute} the first time. */
  QueryPlanner.TermInfo termInfo(String term, Function<String, QueryPlanner.TermInfo> compute) {
    return terms.get(term, compute);
  }

  /** The fuzzy rewrite under {@code key}, computed by {@code rewrite} the first time. */
  Query fuzzyRewrite(String key, Rewrite rewrite) {
    return fuzzy.get(
        key,
        k -> {
          try {
            return rewrite.apply(k);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** Rewrites a fuzzy query; may read the index. */
  @FunctionalInterface
  interface Rewrite {
    Query apply(String key) throws IOException;
  }
}
