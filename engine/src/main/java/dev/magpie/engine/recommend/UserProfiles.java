package dev.magpie.engine.recommend;

import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.behaviour.UserHistories;
import dev.magpie.engine.shard.ItemRef;
import dev.magpie.engine.snapshot.ItemStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;

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
    ShopperEvents events = events(items, user);
    List<ItemFacts> facts = new ArrayList<>(events.items().size());
    LongObjectHashMap<ItemFacts> known = new LongObjectHashMap<>();
    for (ItemKey key : events.items()) {
      facts.add(
          known.getIfAbsentPut(
              key.ref(),
              () ->
                  ItemFacts.of(
                      items,
                      0,
                      ItemRef.ordinal(key.ref()),
                      ItemFacts.Row.EMPTY,
                      ItemFacts.Row.EMPTY)));
    }
    LongHashSet seen = new LongHashSet();
    events.seen().forEach(k -> seen.add(k.ref()));
    return UserProfile.of(items, ShopperProfile.of(user, facts, events.types(), seen));
  }

  /**
   * The latest events of {@code user} over the epoch {@code items}, newest first: those recorded
   * since the snapshot, then the snapshot's history, {@link #MAX_EVENTS} in all; every item of both
   * is seen. Items are named by {@link ItemRef} on shard 0 (this store).
   */
  public ShopperEvents events(ItemStore items, String user) {
    if (user == null) {
      return ShopperEvents.none(null);
    }
    List<ItemKey> keys = new ArrayList<>();
    List<EventType> types = new ArrayList<>();
    LongHashSet seen = new LongHashSet();
    List<ItemKey> seenKeys = new ArrayList<>();
    Recorded mine = recorded.get(user);
    if (mine != null) {
      int[] eventItems = new int[MAX_EVENTS];
      EventType[] eventTypes = new EventType[MAX_EVENTS];
      int copied = mine.copyNewestFirst(eventItems, eventTypes);
      for (int i = 0; i < copied; i++) {
        if (eventItems[i] < items.size()) {
          keys.add(ItemKey.ofRef(ItemRef.of(0, eventItems[i])));
          types.add(eventTypes[i]);
          if (seen.add(keys.getLast().ref())) {
            seenKeys.add(keys.getLast());
          }
        }
      }
    }
    int u = histories == null ? -1 : histories.ordinalOf(user);
    if (u >= 0) {
      for (int e = histories.end(u) - 1; e >= histories.start(u); e--) {
        long ref = histories.ref(e);
        ItemKey key = ItemKey.ofRef(ref);
        if (seen.add(ref)) {
          seenKeys.add(key);
        }
        if (keys.size() < MAX_EVENTS) {
          keys.add(key);
          types.add(histories.type(e));
        }
      }
    }
    return new ShopperEvents(user, keys, types, seenKeys);
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
