package dev.magpie.samples;

import java.util.List;
import java.util.Map;

/**
 * How the generator makes products of one category: its brands and product lines, the nouns its
 * titles use, a price range, attribute values and description sentences ("{x}" is filled from the
 * item's attributes).
 *
 * @param path the category path
 * @param brands brand names sold in this category
 * @param lines product-line names a brand's models are called by
 * @param nouns the product types ("Road Running Shoe")
 * @param minPrice lowest price in major units
 * @param maxPrice highest price in major units
 * @param attributes attribute name to its possible values; "color" and "size" make variants
 * @param sentences description sentences
 * @param gendered whether titles say Men's / Women's
 */
record CategorySpec(
    String path,
    List<String> brands,
    List<String> lines,
    List<String> nouns,
    int minPrice,
    int maxPrice,
    Map<String, List<String>> attributes,
    List<String> sentences,
    boolean gendered) {}
