package dev.magpie.engine.recommend;

import dev.magpie.engine.rank.Feature;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The candidates of one request over every shard, as the planner keeps them: each item once, in a
 * slot (appended in the order kept), with what its shard found ({@link FoundItem}), its whole
 * feature vector, the channels that kept it and what each behaviour feature's strongest evidence
 * was (for the reasons). Not thread-safe: one per request.
 */
final class Candidates {
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

  /** Adds the next candidate, {@code ref}, with its completed item; returns its slot. */
  int append(long ref, FoundItem found) {
    slots.add(new Slot(ref, found));
    return slots.size() - 1;
  }

  /** Marks slot {@code slot} as kept by {@code channel}. */
  void channel(int slot, Channel channel) {
    slots.get(slot).channels.add(channel);
  }

  /** Gives slot {@code slot} behaviour evidence of {@code feature} (TOGETHER or COMPLEMENT). */
  void evidence(int slot, Feature feature, Evidence.Part evidence) {
    Slot s = slots.get(slot);
    s.channels.add(feature == Feature.TOGETHER ? Channel.TOGETHER : Channel.COMPLEMENT);
    s.features[feature.ordinal()] = evidence.value();
    int which = feature == Feature.TOGETHER ? 0 : 1;
    s.anchor[which] = evidence.anchor();
    s.anchorPart[which] = evidence.anchorPart();
    s.anchorInContext[which] = evidence.anchorInContext();
  }

  /** Marks slot {@code slot} as an exploration pick. */
  void exploration(int slot) {
    Slot s = slots.get(slot);
    s.channels.add(Channel.EXPLORATION);
    s.features[Feature.EXPLORATION.ordinal()] = 1f;
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
