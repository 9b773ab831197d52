package dev.magpie.engine.agent;

import java.util.List;

/**
 * Two or more items side by side.
 *
 * @param ids the items, in the order asked
 * @param rows aligned facts: one value per item in each row
 * @param differences what sets the items apart, in words, most telling first
 * @param suits for each item (same order), who it suits and why
 */
public record Comparison(
    List<String> ids, List<Row> rows, List<String> differences, List<List<String>> suits) {
  /** Copies the lists. */
  public Comparison {
    ids = List.copyOf(ids);
    rows = List.copyOf(rows);
    differences = List.copyOf(differences);
    suits = suits.stream().map(List::copyOf).toList();
  }

  /**
   * One fact for every item.
   *
   * @param name what the row shows ("price", "brand", an attribute name)
   * @param values one per item, "-" where an item has none
   * @param differs whether the values are not all the same
   */
  public record Row(String name, List<String> values, boolean differs) {
    /** Copies the values. */
    public Row {
      values = List.copyOf(values);
    }
  }
}
