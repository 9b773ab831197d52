package dev.magpie.engine.search;

import dev.magpie.engine.InvalidRequestException;
import java.util.Objects;

/**
 * A search.
 *
 * @param query the shopper's or agent's text; may be empty when filters alone select
 * @param k how many hits to return, 1 to {@link #MAX_K}
 * @param filters restrictions every hit satisfies
 * @param understand pull constraints the text states ("under $50", a brand, a colour) into filters
 * @param explain attach to each hit the fields and terms that matched and what they scored
 * @param fuzzy retry with typo tolerance when terms of the query are unknown to the index
 * @param fieldScoring how field scores combine
 */
public record SearchRequest(
    String query,
    int k,
    SearchFilters filters,
    boolean understand,
    boolean explain,
    boolean fuzzy,
    FieldScoring fieldScoring) {

  /** Largest k a request may ask for. */
  public static final int MAX_K = 1000;

  /** Longest query text accepted, in characters. */
  public static final int MAX_QUERY_CHARS = 1000;

  /** Checks every field, naming the bad value. */
  public SearchRequest {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(filters, "filters");
    Objects.requireNonNull(fieldScoring, "fieldScoring");
    if (k < 1 || k > MAX_K) {
      throw new InvalidRequestException("k", "must be from 1 to " + MAX_K + ", got " + k);
    }
    if (query.length() > MAX_QUERY_CHARS) {
      throw new InvalidRequestException(
          "query", query.length() + " characters, at most " + MAX_QUERY_CHARS + " are accepted");
    }
  }

  /** A request for the top {@code k} hits of {@code query} with the defaults. */
  public static SearchRequest of(String query, int k) {
    return new SearchRequest(
        query, k, SearchFilters.NONE, true, true, true, FieldScoring.COMBINED_FIELDS);
  }

  /** This request asking for {@code hits} hits. */
  public SearchRequest withK(int hits) {
    return new SearchRequest(query, hits, filters, understand, explain, fuzzy, fieldScoring);
  }

  /** This request with other filters. */
  public SearchRequest withFilters(SearchFilters f) {
    return new SearchRequest(query, k, f, understand, explain, fuzzy, fieldScoring);
  }

  /** This request with query understanding on or off. */
  public SearchRequest withUnderstanding(boolean on) {
    return new SearchRequest(query, k, filters, on, explain, fuzzy, fieldScoring);
  }

  /** This request with explanations on or off. */
  public SearchRequest withExplanations(boolean on) {
    return new SearchRequest(query, k, filters, understand, on, fuzzy, fieldScoring);
  }

  /** This request with the typo fallback on or off. */
  public SearchRequest withFuzzy(boolean on) {
    return new SearchRequest(query, k, filters, understand, explain, on, fieldScoring);
  }

  /** This request with another field scoring. */
  public SearchRequest withFieldScoring(FieldScoring scoring) {
    return new SearchRequest(query, k, filters, understand, explain, fuzzy, scoring);
  }
}
