package dev.magpie.engine.recommend;

import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.vector.VectorIndex;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.eclipse.collections.api.block.function.primitive.IntToFloatFunction;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.IntFloatHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;

/**
 * One shard's candidates for one request: each of its items once, with what each channel said of
 * it, until {@link #finish} computes their features and answers them as {@link FoundItem}s. Not
 * thread-safe: one per request.
 */
final class LocalCandidates {
  private static final int FEATURES = Feature.values().length;
  private static final int[] NO_ATTEMPTS = new int[0];

  private final IntIntHashMap slotOf = new IntIntHashMap();
  private final List<Slot> slots = new ArrayList<>();

  /** One candidate and what the channels said of it. */
  private static final class Slot {
    final int ordinal;

    /** KNOWLEDGE and POPULAR_IN_CATEGORY, when found by them; null until then. */
    EnumSet<Channel> channels;

    float knowledge;
    String knowledgeReason;
    boolean target;
    float vectorScore = Float.NaN;
    long popularRank = -1;

    /** The exploration attempts that pick it; null for none. */
    IntArrayList attempts;

    Slot(int ordinal) {
      this.ordinal = ordinal;
    }

    void channel(Channel channel) {
      if (channels == null) {
        channels = EnumSet.noneOf(Channel.class);
      }
      channels.add(channel);
    }
  }

  private Slot add(int item) {
    int s = slotOf.getIfAbsent(item, -1);
    if (s < 0) {
      s = slots.size();
      slotOf.put(item, s);
      slots.add(new Slot(item));
    }
    return slots.get(s);
  }

  /** A behaviour target the request allows. */
  void addTarget(int item) {
    add(item).target = true;
  }

  /** One of the shard's nearest items to the query vector, with its similarity. */
  void addNearest(int item, float score) {
    add(item).vectorScore = score;
  }

  /**
   * A knowledge relation of strength {@code weight}: the strongest is kept, with its reason, and
   * the item is then a knowledge candidate.
   */
  void addKnowledge(int item, float weight, String why) {
    Slot slot = add(item);
    slot.channel(Channel.KNOWLEDGE);
    if (weight > slot.knowledge) {
      slot.knowledge = weight;
      slot.knowledgeReason = why;
    }
  }

  void addPopularInCategory(int item) {
    add(item).channel(Channel.POPULAR_IN_CATEGORY);
  }

  /** One of the shard's most popular allowed items, with its catalog-wide rank. */
  void addPopular(int item, long rank) {
    add(item).popularRank = rank;
  }

  /** Exploration attempt {@code attempt} picks {@code item}. */
  void addExploration(int attempt, int item) {
    Slot slot = add(item);
    if (slot.attempts == null) {
      slot.attempts = new IntArrayList(2);
    }
    slot.attempts.add(attempt);
  }

  /**
   * Every candidate with what the channels said of it, cheap to produce: features and the fields
   * quoted in reasons are left for {@link #complete}, which the planner asks only for the
   * candidates it keeps (all of them when the answer crosses the network).
   */
  List<FoundItem> found(ItemStore items) {
    List<FoundItem> out = new ArrayList<>(slots.size());
    for (Slot slot : slots) {
      out.add(
          new FoundItem(
              slot.ordinal,
              null,
              items.catalogPosition(slot.ordinal),
              -1,
              null,
              null,
              -1,
              Float.NaN,
              -1,
              Float.NaN,
              false,
              null,
              slot.knowledgeReason,
              slot.channels == null ? Set.of() : slot.channels,
              slot.target,
              slot.vectorScore,
              slot.popularRank,
              slot.attempts == null ? NO_ATTEMPTS : slot.attempts.toArray()));
    }
    return out;
  }

  /**
   * {@code partial} (from {@link #found}) completed with the features the shard computes alone
   * (similarity to the query vector, the shopper's affinities and price fit, the knowledge
   * relation, the item's own statistics) and what diversity reads, in the same order; the text
   * reasons quote is left to {@link #describe}.
   */
  static List<FoundItem> complete(
      List<FoundItem> partial,
      ItemStore items,
      CandidateQuery query,
      VectorIndex vectors,
      BehaviourModel behaviour,
      PopularityOrder popularity,
      IntToFloatFunction knowledge) {
    float[] similarity = null;
    if (query.queryVector() != null && vectors != null) {
      int[] ordinals = new int[partial.size()];
      for (int s = 0; s < ordinals.length; s++) {
        ordinals[s] = partial.get(s).ordinal();
      }
      similarity = vectors.similarities(query.queryVector(), ordinals);
    }
    IntFloatHashMap brandAffinity = new IntFloatHashMap();
    query
        .brandAffinity()
        .forEachKeyValue(
            (name, affinity) -> {
              int b = items.brandOrdinalOf(name);
              if (b >= 0) {
                brandAffinity.put(b, affinity);
              }
            });
    List<FoundItem> out = new ArrayList<>(partial.size());
    for (int s = 0; s < partial.size(); s++) {
      FoundItem p = partial.get(s);
      int item = p.ordinal();
      float[] f = new float[FEATURES];
      if (similarity != null) {
        f[Feature.VECTOR.ordinal()] = Math.max(0f, similarity[s]);
      }
      f[Feature.KNOWLEDGE.ordinal()] = knowledge.valueOf(item);
      int category = items.categoryOrdinal(item);
      f[Feature.CATEGORY_AFFINITY.ordinal()] =
          category < 0 ? 0f : query.categoryAffinity().get(category);
      int brand = items.brandOrdinal(item);
      f[Feature.BRAND_AFFINITY.ordinal()] = brand < 0 ? 0f : brandAffinity.get(brand);
      f[Feature.POPULARITY.ordinal()] = popularity.percentile(item);
      f[Feature.CONVERSION.ordinal()] = behaviour == null ? 0f : behaviour.stats().conversion(item);
      f[Feature.FRESHNESS.ordinal()] =
          behaviour == null
              ? 0f
              : behaviour.stats().freshness(item, Feature.FRESHNESS_HALF_LIFE_DAYS);
      float rating = items.rating(item);
      f[Feature.RATING.ordinal()] = rating > 0 ? rating / 5f : 0f;
      long price = items.priceMinor(item);
      long typical = query.typicalPriceMinor();
      if (typical > 0 && price > 0 && price != Item.UNKNOWN_PRICE) {
        f[Feature.PRICE_FIT.ordinal()] =
            (float) Math.exp(-Math.abs(Math.log((double) price / typical)));
      }
      out.add(
          new FoundItem(
              item,
              null,
              p.position(),
              category,
              null,
              null,
              FoundItem.brandKey(items, brand),
              rating,
              behaviour == null ? -1 : behaviour.stats().buys(item),
              behaviour == null ? Float.NaN : behaviour.stats().ageDays(item),
              items.sponsored(item),
              f,
              p.knowledgeReason(),
              p.channels(),
              p.target(),
              p.vectorScore(),
              p.popularRank(),
              p.explorationAttempts()));
    }
    return out;
  }

  /** {@code complete} (from {@link #complete}) with the text reasons quote, in the same order. */
  static List<FoundItem> describe(List<FoundItem> complete, ItemStore items) {
    List<FoundItem> out = new ArrayList<>(complete.size());
    for (FoundItem c : complete) {
      int item = c.ordinal();
      out.add(
          new FoundItem(
              item,
              items.externalId(item),
              c.position(),
              c.category(),
              items.categoryPath(item),
              items.brand(item),
              c.brandKey(),
              c.rating(),
              c.buys(),
              c.ageDays(),
              c.sponsored(),
              c.features(),
              c.knowledgeReason(),
              c.channels(),
              c.target(),
              c.vectorScore(),
              c.popularRank(),
              c.explorationAttempts()));
    }
    return out;
  }

  /** The strongest knowledge relation found for {@code item}, 0 for none. */
  float knowledge(int item) {
    int s = slotOf.getIfAbsent(item, -1);
    return s < 0 ? 0f : slots.get(s).knowledge;
  }
}
