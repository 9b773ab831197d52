package dev.magpie.engine.recommend;

import dev.magpie.engine.rank.Feature;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;

/**
 * The candidates of one request over every shard, as the planner keeps them: each item once, in a
 * slot, with what its shard found ({@link FoundItem}), its whole feature vector, the channels that
 * kept it and what each behaviour feature's strongest evidence was (for the reasons). Not
 * thread-safe: one per request.
 */
final class Candidates {
  private final LongIntHashMap slotOf = new LongIntHashMap();
  private final List<Slot> slots = new ArrayList<>();

  /** One candidate: its item, features, channels, and the evidence behind its reasons. */
  private static final class Slot {
    final long ref;
    FoundItem found;
    final float[] features;
    final EnumSet<Channel> channels = EnumSet.noneOf(Channel.class);

    /**
     * For TOGETHER [0] and COMPLEMENT [1]: the item with the strongest evidence, its part, whether
     * in the context.
     */
    final long[] anchor = {-1, -1};

    final float[] anchorPart = new float[2];
    final boolean[] anchorInContext = new boolean[2];

    Slot(long ref, FoundItem found) {
      this.ref = ref;
      this.found = found;
      this.features = found.features(); // each completed item's own array
    }
  }

  int size() {
    return slots.size();
  }

  long ref(int slot) {
    return slots.get(slot).ref;
  }

  FoundItem found(int slot) {
    return slots.get(slot).found;
  }

  float[] features(int slot) {
    return slots.get(slot).features;
  }

  EnumSet<Channel> channels(int slot) {
    return slots.get(slot).channels;
  }

  /**
   * Replaces slot {@code slot}'s item with the same item, described ({@link FoundItems#describe}).
   */
  void describe(int slot, FoundItem described) {
    slots.get(slot).found = described;
  }

  boolean contains(long ref) {
    return slotOf.containsKey(ref);
  }

  /** The slot of {@code ref}, added if new, marked as kept by {@code channel}. */
  private Slot add(long ref, FoundItem found, Channel channel) {
    int s = slotOf.getIfAbsent(ref, -1);
    if (s < 0) {
      s = slots.size();
      slotOf.put(ref, s);
      slots.add(new Slot(ref, found));
    }
    Slot slot = slots.get(s);
    slot.channels.add(channel);
    return slot;
  }

  /** Adds {@code ref} as kept by {@code channel}, with no evidence of its own. */
  void addFound(long ref, FoundItem found, Channel channel) {
    add(ref, found, channel);
  }

  /**
   * Adds behaviour evidence (TOGETHER or COMPLEMENT) of {@code value}, whose strongest part came
   * from {@code anchor}.
   */
  void addEvidence(long ref, FoundItem found, Feature feature, Evidence.Part evidence) {
    Channel channel = feature == Feature.TOGETHER ? Channel.TOGETHER : Channel.COMPLEMENT;
    Slot slot = add(ref, found, channel);
    slot.features[feature.ordinal()] = evidence.value();
    int which = feature == Feature.TOGETHER ? 0 : 1;
    slot.anchor[which] = evidence.anchor();
    slot.anchorPart[which] = evidence.anchorPart();
    slot.anchorInContext[which] = evidence.anchorInContext();
  }

  /** Marks {@code ref} as an exploration pick. */
  void addExploration(long ref, FoundItem found) {
    add(ref, found, Channel.EXPLORATION).features[Feature.EXPLORATION.ordinal()] = 1f;
  }

  /** The item whose evidence was strongest for {@code feature} (TOGETHER or COMPLEMENT), or -1. */
  long anchor(int slot, Feature feature) {
    return feature == Feature.TOGETHER
        ? slots.get(slot).anchor[0]
        : feature == Feature.COMPLEMENT ? slots.get(slot).anchor[1] : -1;
  }

  boolean anchorInContext(int slot, Feature feature) {
    return slots.get(slot).anchorInContext[feature == Feature.TOGETHER ? 0 : 1];
  }

  /** Scales behaviour evidence so that the request's strongest is 1. */
  void finish() {
    scaleToMax(Feature.TOGETHER);
    scaleToMax(Feature.COMPLEMENT);
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
