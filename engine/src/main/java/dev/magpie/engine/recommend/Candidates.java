package dev.magpie.engine.recommend;

import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.vector.VectorIndex;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;

/**
 * The candidates of one request: each item once, in a slot, with its feature vector, the channels
 * that found it and what each behaviour feature's strongest evidence was (for the reasons). Not
 * thread-safe: one per request.
 */
final class Candidates {
  private static final int FEATURES = Feature.values().length;

  private final ItemStore items;
  private final IntIntHashMap slotOf = new IntIntHashMap();
  private final List<Slot> slots = new ArrayList<>();

  /** One candidate: its item, features, channels, and the evidence behind its reasons. */
  private static final class Slot {
    final int ordinal;
    final float[] features = new float[FEATURES];
    final EnumSet<Channel> channels = EnumSet.noneOf(Channel.class);

    /**
     * For TOGETHER [0] and COMPLEMENT [1]: the item with the strongest evidence, its part, whether
     * in the context.
     */
    final int[] anchor = {-1, -1};

    final float[] anchorPart = new float[2];
    final boolean[] anchorInContext = new boolean[2];
    String knowledgeReason;

    Slot(int ordinal) {
      this.ordinal = ordinal;
    }
  }

  Candidates(ItemStore items) {
    this.items = items;
  }

  ItemStore items() {
    return items;
  }

  int size() {
    return slots.size();
  }

  int ordinal(int slot) {
    return slots.get(slot).ordinal;
  }

  float[] features(int slot) {
    return slots.get(slot).features;
  }

  EnumSet<Channel> channels(int slot) {
    return slots.get(slot).channels;
  }

  /** The slot of {@code item}, added if new, marked as found by {@code channel}. */
  private Slot add(int item, Channel channel) {
    int s = slotOf.getIfAbsent(item, -1);
    if (s < 0) {
      s = slots.size();
      slotOf.put(item, s);
      slots.add(new Slot(item));
    }
    Slot slot = slots.get(s);
    slot.channels.add(channel);
    return slot;
  }

  /** Adds {@code item} as found by {@code channel}, with no evidence of its own. */
  void addFound(int item, Channel channel) {
    add(item, channel);
  }

  /**
   * Adds {@code part} of behaviour evidence (TOGETHER or COMPLEMENT) that came from item {@code
   * from}.
   */
  void addEvidence(
      int item, Channel channel, Feature feature, float part, int from, boolean fromContext) {
    Slot slot = add(item, channel);
    slot.features[feature.ordinal()] += part;
    int which = feature == Feature.TOGETHER ? 0 : 1;
    if (part > slot.anchorPart[which]) {
      slot.anchorPart[which] = part;
      slot.anchor[which] = from;
      slot.anchorInContext[which] = fromContext;
    }
  }

  /**
   * Records a knowledge relation of strength {@code weight}, keeping the strongest and its reason.
   */
  void addKnowledge(int item, float weight, String why) {
    Slot slot = add(item, Channel.KNOWLEDGE);
    if (weight > slot.features[Feature.KNOWLEDGE.ordinal()]) {
      slot.features[Feature.KNOWLEDGE.ordinal()] = weight;
      slot.knowledgeReason = why;
    }
  }

  void addExploration(int item) {
    add(item, Channel.EXPLORATION).features[Feature.EXPLORATION.ordinal()] = 1f;
  }

  /** The item whose evidence was strongest for {@code feature} (TOGETHER or COMPLEMENT), or -1. */
  int anchor(int slot, Feature feature) {
    return feature == Feature.TOGETHER
        ? slots.get(slot).anchor[0]
        : feature == Feature.COMPLEMENT ? slots.get(slot).anchor[1] : -1;
  }

  boolean anchorInContext(int slot, Feature feature) {
    return slots.get(slot).anchorInContext[feature == Feature.TOGETHER ? 0 : 1];
  }

  String knowledgeReason(int slot) {
    return slots.get(slot).knowledgeReason;
  }

  /**
   * Completes every feature vector: behaviour evidence scaled so the request's strongest is 1,
   * similarity to {@code query}, the profile's affinities and price fit, and the item's own
   * statistics.
   */
  void finish(
      UserProfile profile,
      float[] query,
      VectorIndex vectors,
      BehaviourModel behaviour,
      float[] popularityPercentile) {
    scaleToMax(Feature.TOGETHER);
    scaleToMax(Feature.COMPLEMENT);
    float[] similarity = null;
    if (query != null) {
      int[] ordinals = new int[size()];
      for (int s = 0; s < ordinals.length; s++) {
        ordinals[s] = slots.get(s).ordinal;
      }
      similarity = vectors.similarities(query, ordinals);
    }
    for (int slot = 0; slot < size(); slot++) {
      int item = slots.get(slot).ordinal;
      float[] f = slots.get(slot).features;
      if (similarity != null) {
        f[Feature.VECTOR.ordinal()] = Math.max(0f, similarity[slot]);
      }
      int category = items.categoryOrdinal(item);
      f[Feature.CATEGORY_AFFINITY.ordinal()] =
          category < 0 ? 0f : profile.categoryAffinity().get(category);
      int brand = items.brandOrdinal(item);
      f[Feature.BRAND_AFFINITY.ordinal()] = brand < 0 ? 0f : profile.brandAffinity().get(brand);
      // An item added live since the snapshot has no behaviour yet.
      f[Feature.POPULARITY.ordinal()] =
          item < popularityPercentile.length ? popularityPercentile[item] : 0f;
      f[Feature.CONVERSION.ordinal()] = behaviour == null ? 0f : behaviour.stats().conversion(item);
      f[Feature.FRESHNESS.ordinal()] =
          behaviour == null
              ? 0f
              : behaviour.stats().freshness(item, Feature.FRESHNESS_HALF_LIFE_DAYS);
      float rating = items.rating(item);
      f[Feature.RATING.ordinal()] = rating > 0 ? rating / 5f : 0f;
      long price = items.priceMinor(item);
      if (profile.typicalPriceMinor() > 0 && price > 0 && price != Item.UNKNOWN_PRICE) {
        f[Feature.PRICE_FIT.ordinal()] =
            (float) Math.exp(-Math.abs(Math.log((double) price / profile.typicalPriceMinor())));
      }
    }
  }

  private void scaleToMax(Feature feature) {
    float max = 0;
    for (Slot slot : slots) {
      max = Math.max(max, slot.features[feature.ordinal()]);
    }
    if (max > 0) {
      for (Slot slot : slots) {
        slot.features[feature.ordinal()] /= max;
      }
    }
  }
}
