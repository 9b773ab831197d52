package dev.magpie.engine.search;

import java.util.List;

/**
 * What a hybrid search found.
 *
 * @param hits the top hits, best first
 * @param searchedText the text both channels searched after understanding removed constraints
 * @param understood constraints taken from the text and applied as filters to both channels, synonym
 *     expansions, and the spelling corrections the vector channel's text was given ("spelling":
 *     "toliet" to "toilet"; the text channel tolerates typos by itself)
 * @param fusion how the channels were merged
 * @param notes warnings for the caller (a filter value the catalog does not know, a channel that
 *     could not run, ...)
 */
public record HybridResult(
    List<HybridHit> hits, String searchedText, List<Constraint> understood, Fusion fusion, List<String> notes) {
  /** Copies the lists. */
  public HybridResult {
    hits = List.copyOf(hits);
    understood = List.copyOf(understood);
    notes = List.copyOf(notes);
  }
}
