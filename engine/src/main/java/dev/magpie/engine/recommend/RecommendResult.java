package dev.magpie.engine.recommend;

import java.util.List;

/**
 * Recommended items, best first, with the exploration picks (if any) last.
 *
 * @param items the items
 * @param model the name of the ranking model that scored them
 * @param notes what the engine could not honour (an unknown occasion, a filter value the catalog
 *     does not have), for the caller to see
 */
public record RecommendResult(List<RecommendedItem> items, String model, List<String> notes) {
  /** Copies the lists. */
  public RecommendResult {
    items = List.copyOf(items);
    notes = List.copyOf(notes);
  }
}
