package dev.magpie.engine.recommend;

import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.vector.VectorIndex;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
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
  private final IntArrayList ordinals = new IntArrayList();
  private final List<float[]> features = new ArrayList<>();
  private final List<EnumSet<Channel>> channels = new ArrayList<>();
  /** Per slot: strongest anchor item for TOGETHER and COMPLEMENT, its part, whether from the context. */
  private final IntArrayList anchors = new IntArrayList();
  private final List<float[]> anchorParts = new ArrayList<>();
  private final List<boolean[]> anchorInContext = new ArrayList<>();
  private final List<String> knowledgeReasons = new ArrayList<>();

  Candidates(ItemStore items) {
    this.items = items;
  }

  ItemStore items() {
    return items;
  }

  int size() {
    return ordinals.size();
  }

  int ordinal(int slot) {
    return ordinals.get(slot);
  }

  float[] features(int slot) {
    return features.get(slot);
  }

  EnumSet<Channel> channels(int slot) {
    return channels.get(slot);
  }

  /** The slot of {@code item}, added if new, marked as found by {@code channel}. */
  int add(int item, Channel channel) {
    int slot = slotOf.getIfAbsent(item, -1);
    if (slot < 0) {
      slot = ordinals.size();
      slotOf.put(item, slot);
      ordinals.add(item);
      features.add(new float[FEATURES]);
      channels.add(EnumSet.noneOf(Channel.class));
      anchors.add(-1);
      anchors.add(-1);
      anchorParts.add(new float[2]);
      anchorInContext.add(new boolean[2]);
      knowledgeReasons.add(null);
    }
    channels.get(slot).add(channel);
    return slot;
  }

  /** Adds {@code part} of behaviour evidence (TOGETHER or COMPLEMENT) that came from item {@code from}. */
  void addEvidence(int item, Channel channel, Feature feature, float part, int from, boolean fromContext) {
    int slot = add(item, channel);
    features.get(slot)[feature.ordinal()] += part;
    int which = feature == Feature.TOGETHER ? 0 : 1;
    if (part > anchorParts.get(slot)[which]) {
      anchorParts.get(slot)[which] = part;
      anchors.set(2 * slot + which, from);
      anchorInContext.get(slot)[which] = fromContext;
    }
  }

  /** Records a knowledge relation of strength {@code weight}, keeping the strongest and its reason. */
  void addKnowledge(int item, float weight, String why) {
    int slot = add(item, Channel.KNOWLEDGE);
    float[] f = features.get(slot);
    if (weight > f[Feature.KNOWLEDGE.ordinal()]) {
      f[Feature.KNOWLEDGE.ordinal()] = weight;
      knowledgeReasons.set(slot, why);
    }
  }

  void addExploration(int item) {
    features.get(add(item, Channel.EXPLORATION))[Feature.EXPLORATION.ordinal()] = 1f;
  }

  /** The item whose evidence was strongest for {@code feature} (TOGETHER or COMPLEMENT), or -1. */
  int anchor(int slot, Feature feature) {
    return feature == Feature.TOGETHER ? anchors.get(2 * slot) : feature == Feature.COMPLEMENT ? anchors.get(2 * slot + 1)
        : -1;
  }

  boolean anchorInContext(int slot, Feature feature) {
    return anchorInContext.get(slot)[feature == Feature.TOGETHER ? 0 : 1];
  }

  String knowledgeReason(int slot) {
    return knowledgeReasons.get(slot);
  }

  /**
   * Completes every feature vector: behaviour evidence scaled so the request's strongest is 1,
   * similarity to {@code query}, the profile's affinities and price fit, and the item's own
   * statistics.
   */
  void finish(UserProfile profile, float[] query, VectorIndex vectors, BehaviourModel behaviour,
      float[] popularityPercentile) {
    scaleToMax(Feature.TOGETHER);
    scaleToMax(Feature.COMPLEMENT);
    float[] similarity = query == null ? null : vectors.similarities(query, ordinals.toArray());
    for (int slot = 0; slot < size(); slot++) {
      int item = ordinals.get(slot);
      float[] f = features.get(slot);
      if (similarity != null) {
        f[Feature.VECTOR.ordinal()] = Math.max(0f, similarity[slot]);
      }
      f[Feature.CATEGORY_AFFINITY.ordinal()] = categoryAffinity(profile, items.categoryOrdinal(item));
      int brand = items.brandOrdinal(item);
      f[Feature.BRAND_AFFINITY.ordinal()] = brand < 0 ? 0f : profile.brandAffinity().get(brand);
      f[Feature.POPULARITY.ordinal()] = popularityPercentile[item];
      f[Feature.CONVERSION.ordinal()] = behaviour == null ? 0f : behaviour.stats().conversion(item);
      float rating = items.rating(item);
      f[Feature.RATING.ordinal()] = rating > 0 ? rating / 5f : 0f;
      long price = items.priceMinor(item);
      if (profile.typicalPriceMinor() > 0 && price > 0 && price != Item.UNKNOWN_PRICE) {
        f[Feature.PRICE_FIT.ordinal()] =
            (float) Math.exp(-Math.abs(Math.log((double) price / profile.typicalPriceMinor())));
      }
    }
  }

  private float categoryAffinity(UserProfile profile, int category) {
    return category < 0 ? 0f : profile.categoryAffinity().get(category);
  }

  private void scaleToMax(Feature feature) {
    float max = 0;
    for (float[] f : features) {
      max = Math.max(max, f[feature.ordinal()]);
    }
    if (max > 0) {
      for (float[] f : features) {
        f[feature.ordinal()] /= max;
      }
    }
  }
}
