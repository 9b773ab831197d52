package dev.magpie.engine.search;

import java.util.List;

/**
 * What a search found.
 *
 * @param hits the top hits, best first
 * @param totalMatches how many items matched the query and filters (exact up to 1000, then a lower
 *     bound)
 * @param searchedText the text that was searched after understanding removed constraints
 * @param understood constraints taken from the text and applied as filters
 * @param filters the filters applied: the request's, narrowed by the understood constraints
 * @param fuzzy whether the typo fallback was used
 * @param notes warnings for the caller (a filter value the catalog does not know, ...)
 * @param typoRetryAllowed whether the strict search may still be retried with typo tolerance when
 *     it finds too little: the request allows it, it has text, and it was not typo-tolerant already
 *     (a router decides from every shard's strict hits together)
 */
public record SearchResult(
    List<SearchHit> hits,
    long totalMatches,
    String searchedText,
    List<Constraint> understood,
    SearchFilters filters,
    boolean fuzzy,
    List<String> notes,
    boolean typoRetryAllowed) {
  /** Copies the lists. */
  public SearchResult {
    hits = List.copyOf(hits);
    understood = List.copyOf(understood);
    notes = List.copyOf(notes);
  }
}
