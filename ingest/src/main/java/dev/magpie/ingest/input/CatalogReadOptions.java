package dev.magpie.ingest.input;

import java.util.List;

/**
 * How to read a catalog file.
 *
 * @param defaultCurrency ISO 4217 code for prices given without one
 * @param decodeHtmlEntities decode "&amp;amp;", "&amp;#39;" and the like in titles, descriptions
 *     and brands
 * @param vectorDimension the dimension every vector must have, or 0 to take the first valid one's
 * @param columns for CSV/TSV: the field each column holds, in order ("id", "title", "-" to skip,
 *     "attr.NAME" or any other name for an attribute); null to take them from a header row
 * @param skipHeader for CSV/TSV with {@code columns}: the first row is a header to skip
 * @param parseThreads threads that parse and validate text records; 0 for one per core
 */
public record CatalogReadOptions(
    String defaultCurrency,
    boolean decodeHtmlEntities,
    int vectorDimension,
    List<String> columns,
    boolean skipHeader,
    int parseThreads) {

  /** USD, entities decoded, any vector dimension, columns from the header, one thread per core. */
  public static final CatalogReadOptions DEFAULTS =
      new CatalogReadOptions("USD", true, 0, null, false, 0);

  /** Checks the numbers. */
  public CatalogReadOptions {
    if (vectorDimension < 0) {
      throw new IllegalArgumentException(
          "--vector-dim must not be negative, got " + vectorDimension);
    }
    if (parseThreads < 0) {
      throw new IllegalArgumentException("--threads must not be negative, got " + parseThreads);
    }
    columns = columns == null ? null : List.copyOf(columns);
  }

  /** These options with the given column mapping. */
  public CatalogReadOptions withColumns(List<String> mapping) {
    return new CatalogReadOptions(
        defaultCurrency, decodeHtmlEntities, vectorDimension, mapping, skipHeader, parseThreads);
  }

  /** These options with {@code threads} parse threads. */
  public CatalogReadOptions withParseThreads(int threads) {
    return new CatalogReadOptions(
        defaultCurrency, decodeHtmlEntities, vectorDimension, columns, skipHeader, threads);
  }
}
