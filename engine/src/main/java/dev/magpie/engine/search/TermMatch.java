package dev.magpie.engine.search;

/**
 * One term that matched a hit, and what it added to the hit's BM25 score.
 *
 * @param field the fields it matched in ("title", or several joined by "+" under BM25F)
 * @param term the analysed term
 * @param score its contribution
 * @param origin why the term was searched
 */
public record TermMatch(String field, String term, float score, Origin origin) {
  /** Why a term was part of the search. */
  public enum Origin {
    /** The query said it. */
    QUERY,
    /** A near spelling of a query word the index does not know (typo tolerance). */
    TYPO,
    /** A synonym from the knowledge file of a phrase the query said. */
    SYNONYM
  }

  /** Whether it came from the typo fallback. */
  public boolean fuzzy() {
    return origin == Origin.TYPO;
  }
}
