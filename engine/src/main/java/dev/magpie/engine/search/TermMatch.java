package dev.magpie.engine.search;

/**
 * One query term that matched a hit, and what it added to the hit's BM25 score.
 *
 * @param field the field it matched in ("title", ...), or several joined by "+" under BM25F
 * @param term the analysed term
 * @param score its contribution
 * @param fuzzy whether it came from the typo fallback (a near spelling of a query term)
 */
public record TermMatch(String field, String term, float score, boolean fuzzy) {}
