package dev.magpie.engine.recommend;

import java.util.List;

/**
 * One shard's answer to a {@link CandidateQuery}.
 *
 * @param shard the shard that answered
 * @param items its candidates, in the order its channels found them
 * @param notes what it noticed of the request (an unknown filter value, an unknown occasion): the
 *     same on every shard, the catalog's dictionaries being shared
 */
public record FoundItems(int shard, List<FoundItem> items, List<String> notes) {
  /** Copies the lists. */
  public FoundItems {
    items = List.copyOf(items);
    notes = List.copyOf(notes);
  }
}
