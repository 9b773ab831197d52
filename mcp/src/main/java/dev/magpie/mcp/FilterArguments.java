package dev.magpie.mcp;

import dev.magpie.api.v1.Filters;

/** The {@code filters} argument the listing tools share, read into {@code magpie.v1} filters. */
final class FilterArguments {
  /** The schema of {@code filters}, for the tools' input schemas. */
  static final String SCHEMA =
      """
      {
        "type": "object",
        "description": "Restrictions every returned item meets. Leave out what the shopper did not ask for.",
        "properties": {
          "categories": {"type": "array", "items": {"type": "string"},
            "description": "Category paths as the catalog writes them ('Outdoor > Tents'); an item in one of them or below matches."},
          "brands": {"type": "array", "items": {"type": "string"},
            "description": "Brand names, matched exactly (case-insensitive)."},
          "price": {"type": "object", "description": "Price range in currency units (19.99, not cents).",
            "properties": {
              "min": {"type": "number", "minimum": 0},
              "max": {"type": "number", "minimum": 0},
              "currency": {"type": "string", "description": "ISO 4217 code of min and max; the catalog's when left out."}
            }},
          "available": {"type": "boolean", "description": "true: only items in stock."},
          "attributes": {"type": "object", "additionalProperties": {"type": "string"},
            "description": "Attribute equalities, all of which must hold ({\\"color\\": \\"red\\"})."}
        }
      }""";

  private FilterArguments() {}

  /** {@code filters} as API filters; empty when not given. */
  static Filters read(ToolArguments filters) {
    Filters.Builder out = Filters.newBuilder();
    if (filters == null) {
      return out.build();
    }
    out.addAllCategories(filters.texts("categories", 100));
    out.addAllBrands(filters.texts("brands", 100));
    ToolArguments price = filters.object("price");
    if (price != null) {
      String currency = price.optionalText("currency");
      Double min = price.number("min", 0);
      Double max = price.number("max", 0);
      if (min != null && max != null && min > max) {
        throw price.bad("min", min, "must not exceed max " + max);
      }
      if (min != null) {
        out.setMinPriceMinor(ItemViews.minor(min, currency));
      }
      if (max != null) {
        out.setMaxPriceMinor(ItemViews.minor(max, currency));
      }
    }
    out.setInStockOnly(filters.flag("available", false));
    ToolArguments attributes = filters.object("attributes");
    if (attributes != null) {
      for (String name : attributes.names()) {
        out.putAttributes(name, attributes.text(name));
      }
    }
    return out.build();
  }
}
