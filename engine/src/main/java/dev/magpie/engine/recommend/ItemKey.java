package dev.magpie.engine.recommend;

import dev.magpie.engine.shard.ItemRef;

/**
 * An item as a recommendation phase names it before it is resolved: by {@link ItemRef} (what a
 * snapshot's history and relations store) or by external id (what a caller or a recorded event
 * gives). Exactly one of the two is set.
 *
 * @param ref the item's reference, or -1
 * @param id the item's external id, or null
 */
public record ItemKey(long ref, String id) {
  /** Checks that exactly one of the two is set. */
  public ItemKey {
    if ((ref >= 0) == (id != null)) {
      throw new IllegalArgumentException("an item key is a ref or an id: " + ref + ", " + id);
    }
  }

  /** The key of item {@code ref}. */
  public static ItemKey ofRef(long ref) {
    return new ItemKey(ref, null);
  }

  /** The key of the item with external id {@code id}. */
  public static ItemKey ofId(String id) {
    return new ItemKey(-1, id);
  }
}
