package dev.magpie.engine.recommend;

import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.behaviour.UserHistories;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.snapshot.ItemStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.collections.impl.map.mutable.primitive.IntFloatHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * Shoppers' profiles: each built on request from the shopper's latest events, those stored in the
 * snapshot ({@link UserHistories}) and those {@link #record recorded} since, newest first, so that
 * a new event shapes the very next recommendation. Recorded events live on the heap, at most
 * {@value #MAX_EVENTS} per shopper (older ones fall off; the write-ahead log and the next snapshot
 * keep them all). Thread-safe: readers copy a shopper's recorded events under a per-shopper lock
 * held for a few array writes.
 */
public final class UserProfiles {
  /** Events a profile is built from, newest first. */
  public static final int MAX_EVENTS = 100;

  /** Distinct recent items a profile keeps. */
  public static final int MAX_RECENT = 50;

  /** Weight of each older recent item relative to the next newer one. */
  public static final float RECENCY = 0.85f;

  /** Decay per older event of its weight in the category and brand affinities. */
  static final float AFFINITY_DECAY = 0.97f;

  private final Supplier<ItemStore> items;
  private final UserHistories histories;
  private final ConcurrentHashMap<String, Recorded> recorded = new ConcurrentHashMap<>();

  /**
   * Profiles over the catalog {@code items}, starting from {@code histories} (null when the
   * snapshot was loaded without events).
   */
  public UserProfiles(ItemStore items, UserHistories histories) {
    this(() -> items, histories);
  }

  /**
   * Profiles over a catalog whose current epoch {@code items} supplies (a snapshot's {@code
   * items()} when items are added live), starting from {@code histories}.
   */
  public UserProfiles(Supplier<ItemStore> items, UserHistories histories) {
    this.items = items;
    this.histories = histories;
  }

  /**
   * Records that {@code user} just did {@code type} with item {@code ordinal}; events are taken to
   * arrive in time order, after those of the snapshot.
   *
   * @throws IllegalArgumentException when the ordinal is not an item of the catalog
   */
  public void record(String user, int ordinal, EventType type) {
    record(items.get(), user, ordinal, type);
  }

  /**
   * As {@link #record(String, int, EventType)}, for an item of {@code items} (the live writer's
   * pending epoch, which may hold an item its batch just added).
   */
  public void record(ItemStore items, String user, int ordinal, EventType type) {
    if (ordinal < 0 || ordinal >= items.size()) {
      throw new IllegalArgumentException(
          "item ordinal " + ordinal + " is outside 0.." + (items.size() - 1));
    }
    recorded.computeIfAbsent(user, u -> new Recorded()).add(ordinal, type);
  }

  /** The profile of {@code user} (empty when nothing is known of them). */
  public UserProfile profile(String user) {
    return profile(items.get(), user);
  }

  /**
   * The profile of {@code user} over the epoch {@code items}: an event recorded for an item added
   * after that epoch is left out.
   */
  public UserProfile profile(ItemStore items, String user) {
    int n = 0;
    int[] eventItems = new int[MAX_EVENTS];
    EventType[] eventTypes = new EventType[MAX_EVENTS];
    Recorded mine = user == null ? null : recorded.get(user);
    if (mine != null) {
      int copied = mine.copyNewestFirst(eventItems, eventTypes);
      for (int i = 0; i < copied; i++) {
        if (eventItems[i] < items.size()) {
          eventItems[n] = eventItems[i];
          eventTypes[n++] = eventTypes[i];
        }
      }
    }
    IntHashSet seen = new IntHashSet();
    for (int i = 0; i < n; i++) {
      seen.add(eventItems[i]);
    }
    int u = user == null || histories == null ? -1 : histories.ordinalOf(user);
    if (u >= 0) {
      for (int e = histories.end(u) - 1; e >= histories.start(u); e--) {
        seen.add(histories.item(e));
        if (n < MAX_EVENTS) {
          eventItems[n] = histories.item(e);
          eventTypes[n] = histories.type(e);
          n++;
        }
      }
    }
    return build(items, user, eventItems, eventTypes, n, seen);
  }

  private static UserProfile build(
      ItemStore items,
      String user,
      int[] eventItems,
      EventType[] eventTypes,
      int n,
      IntHashSet seen) {
    IntFloatHashMap strongest = new IntFloatHashMap();
    List<Integer> order = new ArrayList<>();
    IntFloatHashMap categories = new IntFloatHashMap();
    IntFloatHashMap brands = new IntFloatHashMap();
    float decay = 1f;
    for (int i = 0; i < n; i++, decay *= AFFINITY_DECAY) {
      int item = eventItems[i];
      float w = eventTypes[i].weight();
      if (!strongest.containsKey(item)) {
        order.add(item);
      }
      strongest.put(item, Math.max(strongest.get(item), w));
      int category = items.categoryOrdinal(item);
      float part = w * decay;
      for (float share = 1f;
          category >= 0;
          category = items.categoryParent(category), share *= 0.5f) {
        categories.addToValue(category, part * share);
      }
      int brand = items.brandOrdinal(item);
      if (brand >= 0) {
        brands.addToValue(brand, part);
      }
    }
    int recentCount = Math.min(order.size(), MAX_RECENT);
    int[] recent = new int[recentCount];
    float[] weights = new float[recentCount];
    float recency = 1f;
    for (int i = 0; i < recentCount; i++, recency *= RECENCY) {
      recent[i] = order.get(i);
      weights[i] = strongest.get(recent[i]) * recency;
    }
    scaleToMax(categories);
    scaleToMax(brands);
    return new UserProfile(
        user,
        recent,
        weights,
        categories.toImmutable(),
        brands.toImmutable(),
        vector(items, recent, weights),
        typicalPrice(items, recent, weights),
        n,
        seen.toImmutable());
  }

  private static void scaleToMax(IntFloatHashMap map) {
    float max = map.isEmpty() ? 0f : map.max();
    if (max > 0) {
      map.updateValues((k, v) -> v / max);
    }
  }

  private static float[] vector(ItemStore items, int[] recent, float[] weights) {
    if (items.vectorDimension() == 0) {
      return null;
    }
    float[] sum = new float[items.vectorDimension()];
    boolean any = false;
    for (int i = 0; i < recent.length; i++) {
      if (!items.hasVector(recent[i])) {
        continue;
      }
      float[] v = items.vector(recent[i]);
      for (int d = 0; d < sum.length; d++) {
        sum[d] += weights[i] * v[d];
      }
      any = true;
    }
    return any ? Vectors.unit(sum) : null;
  }

  private static long typicalPrice(ItemStore items, int[] recent, float[] weights) {
    long[] prices = new long[recent.length];
    float[] w = new float[recent.length];
    int n = 0;
    for (int i = 0; i < recent.length; i++) {
      long p = items.priceMinor(recent[i]);
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

  /**
   * A checksum of the events recorded live (not those of the snapshot): equal for two profiles that
   * recorded the same events per shopper in the same order, whatever order the shoppers came in.
   */
  public long recordedChecksum() {
    int[] items = new int[MAX_EVENTS];
    EventType[] types = new EventType[MAX_EVENTS];
    long sum = 0;
    for (Map.Entry<String, Recorded> e : recorded.entrySet()) {
      int n = e.getValue().copyNewestFirst(items, types);
      long h = e.getKey().hashCode();
      for (int i = 0; i < n; i++) {
        h = h * 0x9E3779B97F4A7C15L + ((long) items[i] << 8 | types[i].ordinal());
      }
      // A 64-bit finaliser (MurmurHash3's), then a sum: the order of shoppers does not count.
      h ^= h >>> 33;
      h *= 0xff51afd7ed558ccdL;
      h ^= h >>> 33;
      h *= 0xc4ceb9fe1a85ec53L;
      h ^= h >>> 33;
      sum += h;
    }
    return sum;
  }

  /** One shopper's recorded events, a ring of the latest {@link #MAX_EVENTS}. */
  private static final class Recorded {
    private final int[] items = new int[MAX_EVENTS];
    private final EventType[] types = new EventType[MAX_EVENTS];
    private int next;
    private int size;

    synchronized void add(int item, EventType type) {
      items[next] = item;
      types[next] = type;
      next = (next + 1) % MAX_EVENTS;
      size = Math.min(size + 1, MAX_EVENTS);
    }

    /** Copies the events into the arrays, newest first; returns how many. */
    synchronized int copyNewestFirst(int[] outItems, EventType[] outTypes) {
      for (int i = 0; i < size; i++) {
        int at = Math.floorMod(next - 1 - i, MAX_EVENTS);
        outItems[i] = items[at];
        outTypes[i] = types[at];
      }
      return size;
    }
  }
}
