package dev.magpie.engine.recommend;

import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.behaviour.UserHistories;
import dev.magpie.engine.shard.ItemRef;
import dev.magpie.engine.snapshot.ItemStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  private final int shard;

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
    this(items, histories, 0);
  }

  /**
   * As {@link #UserProfiles(Supplier, UserHistories)}, on shard {@code shard} of a catalog: the
   * profiles of the shoppers this shard is home to, whose events name items of every shard.
   */
  public UserProfiles(Supplier<ItemStore> items, UserHistories histories, int shard) {
    this.items = items;
    this.histories = histories;
    this.shard = shard;
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
    recorded.computeIfAbsent(user, u -> new Recorded()).add(ordinal, null, type);
  }

  /**
   * Records that {@code user}, whose home this shard is, just did {@code type} with the item with
   * external id {@code itemId}, which another shard holds (whose existence the router checked).
   */
  public void recordElsewhere(String user, String itemId, EventType type) {
    recorded.computeIfAbsent(user, u -> new Recorded()).add(-1, itemId, type);
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
    return UserProfile.of(items, shopperProfile(items, user));
  }

  /**
   * The profile of {@code user} over the epoch {@code items} in the terms every shard shares, from
   * the events of this store's items (on a shard, events of other shards' items are left out).
   */
  public ShopperProfile shopperProfile(ItemStore items, String user) {
    ShopperEvents events = events(items, user);
    List<ItemFacts> facts = new ArrayList<>(events.items().size());
    List<EventType> types = new ArrayList<>(events.items().size());
    LongObjectHashMap<ItemFacts> known = new LongObjectHashMap<>();
    for (int i = 0; i < events.items().size(); i++) {
      ItemKey key = events.items().get(i);
      if (key.id() != null || ItemRef.shard(key.ref()) != shard) {
        continue; // another shard's item: a single node's profile has none
      }
      facts.add(
          known.getIfAbsentPut(
              key.ref(),
              () ->
                  ItemFacts.of(
                      items,
                      shard,
                      ItemRef.ordinal(key.ref()),
                      ItemFacts.Row.EMPTY,
                      ItemFacts.Row.EMPTY)));
      types.add(events.types().get(i));
    }
    LongHashSet seen = new LongHashSet();
    events
        .seen()
        .forEach(
            k -> {
              if (k.id() == null) {
                seen.add(k.ref());
              }
            });
    return ShopperProfile.of(user, facts, types, seen);
  }

  /**
   * The latest events of {@code user} over the epoch {@code items}, newest first: those recorded
   * since the snapshot, then the snapshot's history, {@link #MAX_EVENTS} in all; every item of both
   * is seen. This store's items are named by {@link ItemRef}, those recorded for other shards'
   * items by id.
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
      String[] eventIds = new String[MAX_EVENTS];
      EventType[] eventTypes = new EventType[MAX_EVENTS];
      int copied = mine.copyNewestFirst(eventItems, eventIds, eventTypes);
      Set<String> seenIds = new HashSet<>();
      for (int i = 0; i < copied; i++) {
        if (eventIds[i] != null) {
          keys.add(ItemKey.ofId(eventIds[i]));
          types.add(eventTypes[i]);
          if (seenIds.add(eventIds[i])) {
            seenKeys.add(keys.getLast());
          }
        } else if (eventItems[i] < items.size()) {
          keys.add(ItemKey.ofRef(ItemRef.of(shard, eventItems[i])));
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
    String[] ids = new String[MAX_EVENTS];
    EventType[] types = new EventType[MAX_EVENTS];
    long sum = 0;
    for (Map.Entry<String, Recorded> e : recorded.entrySet()) {
      int n = e.getValue().copyNewestFirst(items, ids, types);
      long h = e.getKey().hashCode();
      for (int i = 0; i < n; i++) {
        long item = ids[i] == null ? items[i] : ids[i].hashCode() * 31L - 7;
        h = h * 0x9E3779B97F4A7C15L + (item << 8 | types[i].ordinal());
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

  /**
   * One shopper's recorded events, a ring of the latest {@link #MAX_EVENTS}: each an item ordinal
   * of this store, or (on a shard, for another shard's item) -1 and the item's id.
   */
  private static final class Recorded {
    private final int[] items = new int[MAX_EVENTS];
    private final EventType[] types = new EventType[MAX_EVENTS];
    private String[] ids;
    private int next;
    private int size;

    synchronized void add(int item, String id, EventType type) {
      if (id != null && ids == null) {
        ids = new String[MAX_EVENTS];
      }
      items[next] = item;
      if (ids != null) {
        ids[next] = id;
      }
      types[next] = type;
      next = (next + 1) % MAX_EVENTS;
      size = Math.min(size + 1, MAX_EVENTS);
    }

    /** Copies the events into the arrays, newest first; returns how many. */
    synchronized int copyNewestFirst(int[] outItems, String[] outIds, EventType[] outTypes) {
      for (int i = 0; i < size; i++) {
        int at = Math.floorMod(next - 1 - i, MAX_EVENTS);
        outItems[i] = items[at];
        outIds[i] = ids == null ? null : ids[at];
        outTypes[i] = types[at];
      }
      return size;
    }
  }
}
