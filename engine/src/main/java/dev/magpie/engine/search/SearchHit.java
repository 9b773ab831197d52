package dev.magpie.engine.search;

import java.util.List;
import java.util.Locale;

/**
 * One result.
 *
 * @param ordinal the item's ordinal in the snapshot
 * @param externalId the item's catalog id
 * @param score its BM25 score (0 when the query had no text)
 * @param matches the fields and terms behind the score, largest first; empty unless explanations
 *     were asked for
 */
public record SearchHit(int ordinal, String externalId, float score, List<TermMatch> matches) {
  /** Copies the list. */
  public SearchHit {
    matches = List.copyOf(matches);
  }

  /**
   * The explanation in one line: "title:running 2.31, title:shoe 1.80, brand:nike 1.20"; a term
   * found by typo tolerance ends in "~", one from a synonym in "=".
   */
  public String explanation() {
    StringBuilder sb = new StringBuilder();
    for (TermMatch m : matches) {
      if (!sb.isEmpty()) {
        sb.append(", ");
      }
      String mark =
          switch (m.origin()) {
            case QUERY -> "";
            case TYPO -> "~";
            case SYNONYM -> "=";
          };
      sb.append(m.field())
          .append(':')
          .append(m.term())
          .append(mark)
          .append(String.format(Locale.ROOT, " %.2f", m.score()));
    }
    return sb.toString();
  }
}
