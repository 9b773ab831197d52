package dev.magpie.engine.search;

/**
 * A constraint that query understanding took out of the text and applied as a filter.
 *
 * @param kind what it restricts: "price", "brand", "color"
 * @param text the words it came from ("under $50")
 * @param value what was applied, readable ("<= 50.00 USD", "Fleetfoot", "red")
 */
public record Constraint(String kind, String text, String value) {
  @Override
  public String toString() {
    return kind + " " + value + " (from '" + text + "')";
  }
}
