package dev.magpie.engine.recommend;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One shard's answer to a {@link CandidateQuery}.
 *
 * @param shard the shard that answered
 * @param items its candidates, in the order its channels found them: complete, or (from a store in
 *     this process) with their features left to {@code completer} and their quoted text to {@code
 *     describer}
 * @param notes what it noticed of the request (an unknown filter value, an unknown occasion): the
 *     same on every shard, the catalog's dictionaries being shared
 * @param completer adds the features to some of {@code items} (in the order given), or null when
 *     they have them
 * @param describer adds the quoted text to some completed items, or null when they have it
 */
public record FoundItems(
    int shard,
    List<FoundItem> items,
    List<String> notes,
    UnaryOperator<List<FoundItem>> completer,
    UnaryOperator<List<FoundItem>> describer) {
  /** Copies the lists. */
  public FoundItems {
    items = List.copyOf(items);
    notes = List.copyOf(notes);
  }

  /** An answer of complete, described items (one that crossed the network). */
  public FoundItems(int shard, List<FoundItem> items, List<String> notes) {
    this(shard, items, notes, null, null);
  }

  /** {@code some} of this answer's items with their features, in the order given. */
  public List<FoundItem> complete(List<FoundItem> some) {
    return completer == null ? some : completer.apply(some);
  }

  /** {@code some} completed items with their quoted text, in the order given. */
  public List<FoundItem> describe(List<FoundItem> some) {
    return describer == null ? some : describer.apply(some);
  }

  /** This answer with every item complete and described (to send it over the network). */
  public FoundItems completed() {
    return completer == null && describer == null
        ? this
        : new FoundItems(shard, describe(complete(items)), notes);
  }
}
