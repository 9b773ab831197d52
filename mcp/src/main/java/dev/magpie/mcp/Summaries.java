package dev.magpie.mcp;

import dev.magpie.api.v1.Item;
import java.util.List;
import java.util.Locale;

/** The lines every tool's text summary is made of: an item in one line, the server's notes. */
final class Summaries {
  private Summaries() {}

  /** "1. Title [id] 19.99 USD, in stock (sponsored)" and a line break. */
  static void item(StringBuilder summary, int rank, Item item) {
    summary.append(
        String.format(
            Locale.ROOT,
            "%d. %s [%s] %s, %s%s\n",
            rank,
            item.getTitle(),
            item.getId(),
            ItemViews.priceText(item),
            ItemViews.availability(item).replace('_', ' '),
            item.getSponsored() ? " (sponsored)" : ""));
  }

  /** One "Note: ..." line per note. */
  static void notes(StringBuilder summary, List<String> notes) {
    for (String note : notes) {
      summary.append("Note: ").append(note).append('\n');
    }
  }
}
