package dev.magpie.engine.search;

/** How BM25 scores from the different text fields are combined. */
public enum FieldScoring {
  /** Each field scored on its own, weighted and summed: a term in two fields counts twice. */
  BOOSTED_FIELDS,
  /**
   * BM25F through Lucene's CombinedFieldQuery: per term, the weighted fields act as one field, so
   * term saturation and length normalisation apply across them.
   */
  COMBINED_FIELDS
}
