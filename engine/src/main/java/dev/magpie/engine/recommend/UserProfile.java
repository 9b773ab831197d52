package dev.magpie.engine.recommend;

import org.eclipse.collections.api.map.primitive.IntFloatMap;
import org.eclipse.collections.api.set.primitive.IntSet;

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

  /** Whether nothing is known of the shopper. */
  public boolean isEmpty() {
    return events == 0;
  }
}
