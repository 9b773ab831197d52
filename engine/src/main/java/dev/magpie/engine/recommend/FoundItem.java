package dev.magpie.engine.recommend;

import dev.magpie.engine.snapshot.ItemStore;
import java.util.Set;

/**
 * One shard's candidate for a recommendation, with the features the shard computes alone and what
 * the planner needs to cut each channel over all shards as one store would: the vector channel's
 * score, the global popularity rank, the exploration attempts that land on it. From a store in the
 * planner's process it comes in three steps, each only for the candidates that need it: what the
 * channels said, then the features (kept candidates), then the quoted text (the recommended ones);
 * fields not yet filled are null, NaN or -1.
 *
 * @param ordinal the item's ordinal on its shard
 * @param id the item's external id
 * @param position the item's position in the whole catalog (breaks ties as one store would)
 * @param category the item's category ordinal, or -1
 * @param categoryPath the item's category path, or ""
 * @param brand the item's brand, or ""
 * @param brandKey the item's brand for diversity: its ordinal in the catalog's dictionary, a key
 *     from its name for a brand that came with an item added live, -1 for none
 * @param rating the item's rating, NaN when unrated
 * @param buys the item's purchases, -1 when the snapshot has no behaviour
 * @param ageDays days the item has been known to shoppers (infinite for never), NaN when the
 *     snapshot has no behaviour
 * @param sponsored whether the catalog marks it sponsored (disclosed, never scored)
 * @param features the shard's part of the feature vector (behaviour evidence and exploration are
 *     the planner's)
 * @param knowledgeReason why the knowledge channel found it, or null
 * @param channels the channels whose cut the shard makes exactly: {@link Channel#KNOWLEDGE} and
 *     {@link Channel#POPULAR_IN_CATEGORY}
 * @param target whether it is a behaviour target the request allows
 * @param vectorScore its similarity when among this shard's nearest, else NaN
 * @param popularRank its catalog-wide popularity rank when among this shard's most popular allowed
 *     items, else -1
 * @param explorationAttempts the exploration attempts that pick it, ascending
 */
public record FoundItem(
    int ordinal,
    String id,
    long position,
    int category,
    String categoryPath,
    String brand,
    long brandKey,
    float rating,
    int buys,
    float ageDays,
    boolean sponsored,
    float[] features,
    String knowledgeReason,
    Set<Channel> channels,
    boolean target,
    float vectorScore,
    long popularRank,
    int[] explorationAttempts) {

  /** Marks a brand key made from the name of a brand added live. */
  private static final long LIVE_BRAND = 1L << 40;

  /** The brand key of brand {@code ordinal} of {@code items}. */
  static long brandKey(ItemStore items, int ordinal) {
    if (ordinal < 0) {
      return -1;
    }
    return ordinal < items.snapshotBrandCount()
        ? ordinal
        : LIVE_BRAND | (items.brandName(ordinal).hashCode() & 0xffffffffL);
  }
}
