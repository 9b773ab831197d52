package dev.magpie.engine.recommend;

import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.shard.ItemRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.collections.api.map.primitive.IntFloatMap;
import org.eclipse.collections.api.map.primitive.IntIntMap;
import org.eclipse.collections.api.map.primitive.ObjectFloatMap;
import org.eclipse.collections.api.set.primitive.LongSet;
import org.eclipse.collections.impl.map.mutable.primitive.IntFloatHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongFloatHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectFloatHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;

/**
 * What Magpie knows of one shopper, in terms every shard shares: items by {@link ItemRef},
 * categories by the catalog-wide dictionary's ordinals, brands by name. Built where the request is
 * planned (the router, or a single node) from the shopper's events and the facts of their items
 * ({@link #of}); {@link UserProfile} is the same over one store's ordinals. Immutable.
 *
 * @param user the shopper's id, or null for an anonymous one
 * @param recent distinct items, newest first (at most {@link UserProfiles#MAX_RECENT})
 * @param recentWeights each recent item's weight: its strongest event's type weight times a recency
 *     factor ({@link UserProfiles#RECENCY} per older item)
 * @param categoryAffinity category to affinity, 0..1 (the strongest is 1); a parent gets half its
 *     children's
 * @param categoryParents the parent of each category in {@code categoryAffinity}, -1 for a root
 * @param brandAffinity brand name to affinity, 0..1
 * @param vector recency-weighted mean of the recent items' vectors, unit length; null when none has
 *     one
 * @param typicalPriceMinor weighted median price of the shopper's recent items, -1 when unknown
 * @param events how many events the profile was built from
 * @param seen every item of the shopper's history (not recommended again)
 */
public record ShopperProfile(
    String user,
    long[] recent,
    float[] recentWeights,
    IntFloatMap categoryAffinity,
    IntIntMap categoryParents,
    ObjectFloatMap<String> brandAffinity,
    float[] vector,
    long typicalPriceMinor,
    int events,
    LongSet seen) {

  /** Decay per older event of its weight in the category and brand affinities. */
  static final float AFFINITY_DECAY = 0.97f;

  /** The profile of a shopper nothing is known of. */
  public static ShopperProfile empty(String user) {
    return of(user, List.of(), List.of(), new LongHashSet());
  }

  /**
   * The profile of {@code user} from their events, newest first.
   *
   * @param facts each event's item
   * @param types each event's type
   * @param seen every item of the shopper's history
   */
  public static ShopperProfile of(
      String user, List<ItemFacts> facts, List<EventType> types, LongSet seen) {
    LongFloatHashMap strongest = new LongFloatHashMap();
    List<ItemFacts> order = new ArrayList<>();
    IntFloatHashMap categories = new IntFloatHashMap();
    IntIntHashMap parents = new IntIntHashMap();
    ObjectFloatHashMap<String> brands = new ObjectFloatHashMap<>();
    float decay = 1f;
    for (int i = 0; i < facts.size(); i++, decay *= AFFINITY_DECAY) {
      ItemFacts item = facts.get(i);
      float w = types.get(i).weight();
      if (!strongest.containsKey(item.ref())) {
        order.add(item);
      }
      strongest.put(item.ref(), Math.max(strongest.get(item.ref()), w));
      float part = w * decay;
      float share = 1f;
      int[] chain = item.categories();
      for (int c = 0; c < chain.length; c++, share *= 0.5f) {
        categories.addToValue(chain[c], part * share);
        parents.put(chain[c], c + 1 < chain.length ? chain[c + 1] : -1);
      }
      if (!item.brand().isEmpty()) {
        brands.addToValue(item.brand(), part);
      }
    }
    int recentCount = Math.min(order.size(), UserProfiles.MAX_RECENT);
    long[] recent = new long[recentCount];
    float[] weights = new float[recentCount];
    ItemFacts[] recentFacts = new ItemFacts[recentCount];
    float recency = 1f;
    for (int i = 0; i < recentCount; i++, recency *= UserProfiles.RECENCY) {
      recentFacts[i] = order.get(i);
      recent[i] = recentFacts[i].ref();
      weights[i] = strongest.get(recent[i]) * recency;
    }
    float maxCategory = categories.isEmpty() ? 0f : categories.max();
    if (maxCategory > 0) {
      categories.updateValues((k, v) -> v / maxCategory);
    }
    float maxBrand = brands.isEmpty() ? 0f : brands.max();
    if (maxBrand > 0) {
      brands.updateValues((k, v) -> v / maxBrand);
    }
    return new ShopperProfile(
        user,
        recent,
        weights,
        categories.toImmutable(),
        parents.toImmutable(),
        brands.toImmutable(),
        vector(recentFacts, weights),
        typicalPrice(recentFacts, weights),
        facts.size(),
        seen.toImmutable());
  }

  private static float[] vector(ItemFacts[] recent, float[] weights) {
    float[] sum = null;
    for (int i = 0; i < recent.length; i++) {
      float[] v = recent[i].vector();
      if (v == null) {
        continue;
      }
      if (sum == null) {
        sum = new float[v.length];
      }
      for (int d = 0; d < sum.length; d++) {
        sum[d] += weights[i] * v[d];
      }
    }
    return sum == null ? null : Vectors.unit(sum);
  }

  private static long typicalPrice(ItemFacts[] recent, float[] weights) {
    long[] prices = new long[recent.length];
    float[] w = new float[recent.length];
    int n = 0;
    for (int i = 0; i < recent.length; i++) {
      long p = recent[i].priceMinor();
      if (p != Item.UNKNOWN_PRICE) {
        prices[n] = p;
        w[n++] = weights[i];
      }
    }
    if (n == 0) {
      return -1;
    }
    Integer[] byPrice = new Integer[n];
    float total = 0;
    for (int i = 0; i < n; i++) {
      byPrice[i] = i;
      total += w[i];
    }
    Arrays.sort(byPrice, (a, b) -> Long.compare(prices[a], prices[b]));
    float half = total / 2;
    float seen = 0;
    for (Integer i : byPrice) {
      seen += w[i];
      if (seen >= half) {
        return prices[i];
      }
    }
    return prices[byPrice[n - 1]];
  }
}
