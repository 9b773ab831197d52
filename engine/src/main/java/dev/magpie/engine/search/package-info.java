/**
 * Search over a snapshot: {@link dev.magpie.engine.search.TextSearcher#search} takes a {@link
 * dev.magpie.engine.search.SearchRequest} (text, filters, k) and returns hits with item ordinal,
 * external id, score and an explanation of which fields and terms matched. Filters run inside the
 * Lucene search ({@link dev.magpie.engine.search.ItemFilterQuery} reads the off-heap columns), so a
 * filtered query returns k hits whenever k items match. {@link
 * dev.magpie.engine.search.QueryUnderstanding} turns "under $50", a brand or a colour in the text
 * into filters and says what it took.
 */
package dev.magpie.engine.search;
