package dev.magpie.loader.input;

import java.util.List;

/**
 * How to read a catalog file.
 *
 * @param defaultCurrency ISO 4217 code for prices given without one
 * @param decodeHtmlEntities decode "&amp;amp;", "&amp;#39;" and the like in titles, descriptions and
 *     brands
 * @param vectorDimension the dimension every vector must have, or 0 to take the first valid one's
 * @param columns for CSV/TSV: the field each column holds, in order ("id", "title", "-" to skip,
 *     "attr.NAME" or any other name for an attribute); null to take them from a header row
 * @param skipHeader for CSV/TSV with {@code columns}: the first row is a header to skip
 */
public record CatalogReadOptions(
    String defaultCurrency,
    boolean decodeHtmlEntities,
    int vectorDimension,
    List<String> columns,
    boolean skipHeader) {

  /** USD, entities decoded, any vector dimension, columns from the header. */
  public static final CatalogReadOptions DEFAULTS = new CatalogReadOptions("USD", true, 0, null, false);

  /** These options with the given column mapping. */
  public CatalogReadOptions withColumns(List<String> mapping) {
    return new CatalogReadOptions(defaultCurrency, decodeHtmlEntities, vectorDimension, mapping, skipHeader);
  }
}
