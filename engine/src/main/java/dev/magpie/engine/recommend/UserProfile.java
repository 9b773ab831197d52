package dev.magpie.engine.recommend;

import dev.magpie.engine.shard.ItemRef;
import dev.magpie.engine.snapshot.ItemStore;
import org.eclipse.collections.api.map.primitive.IntFloatMap;
import org.eclipse.collections.api.set.primitive.IntSet;
import org.eclipse.collections.impl.map.mutable.primitive.IntFloatHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * What Magpie knows of one shopper, derived from their latest events (the snapshot's history plus
 * events recorded since). Immutable.
 *
 * @param user the shopper's id
 * @param recent distinct items, newest first (at most {@link UserProfiles#MAX_RECENT})
 * @param recentWeights each recent item's weight: its strongest event's type weight times a recency
 *     factor ({@link UserProfiles#RECENCY} per older item)
 * @param categoryAffinity category ordinal to affinity, 0..1 (the strongest category is 1); parent
 *     categories get half their children's
 * @param brandAffinity brand ordinal to affinity, 0..1
 * @param vector recency-weighted mean of the recent items' vectors, unit length; null when the
 *     catalog has no vectors or the shopper has no item with one
 * @param typicalPriceMinor weighted median price of the shopper's items, -1 when unknown
 * @param events how many events the profile was built from
 * @param seen every item in the shopper's stored and recorded history (not recommended again)
 */
public record UserProfile(
    String user,
    int[] recent,
    float[] recentWeights,
    IntFloatMap categoryAffinity,
    IntFloatMap brandAffinity,
    float[] vector,
    long typicalPriceMinor,
    int events,
    IntSet seen) {

  /** {@code profile} over the ordinals of {@code items}, the store that holds all its items. */
  static UserProfile of(ItemStore items, ShopperProfile profile) {
    int[] recent = new int[profile.recent().length];
    for (int i = 0; i < recent.length; i++) {
      recent[i] = ItemRef.ordinal(profile.recent()[i]);
    }
    IntFloatHashMap brands = new IntFloatHashMap();
    profile.brandAffinity().forEachKeyValue((name, v) -> brands.put(items.brandOrdinalOf(name), v));
    IntHashSet seen = new IntHashSet();
    profile.seen().forEach(ref -> seen.add(ItemRef.ordinal(ref)));
    return new UserProfile(
        profile.user(),
        recent,
        profile.recentWeights(),
        profile.categoryAffinity(),
        brands.toImmutable(),
        profile.vector(),
        profile.typicalPriceMinor(),
        profile.events(),
        seen.toImmutable());
  }

  /** Whether nothing is known of the shopper. */
  public boolean isEmpty() {
    return events == 0;
  }
}
