package dev.magpie.engine.search;

/**
 * What query understanding did with part of the text: a constraint taken out and applied as a
 * filter, or a rewrite of the words searched.
 *
 * @param kind what it restricts ("price", "brand", "color") or how the words changed ("synonym",
 *     "rewrite", "spelling")
 * @param text the words it came from ("under $50")
 * @param value what was applied, readable ("<= 50.00 USD", "Fleetfoot", "red")
 */
public record Constraint(String kind, String text, String value) {
  @Override
  public String toString() {
    return kind + " " + value + " (from '" + text + "')";
  }
}
