package dev.magpie.engine.behaviour;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * An interaction log over item ordinals, grouped by user and in time order within each user (events
 * at the same second keep the order they were added in). Users get dense indexes 0, 1, 2, ... in
 * the order first seen. Immutable once built; columns are plain arrays (tens of millions of events
 * fit in a few hundred MB; larger logs are folded into the behaviour model in parts).
 */
public final class Interactions {
  private final String[] userIds;
  private final int[] userStart;
  private final int[] items;
  private final byte[] types;
  private final long[] times;
  private final float[] weights;
  private final int itemCount;

  private Interactions(
      String[] userIds,
      int[] userStart,
      int[] items,
      byte[] types,
      long[] times,
      float[] weights,
      int itemCount) {
    this.userIds = userIds;
    this.userStart = userStart;
    this.items = items;
    this.types = types;
    this.times = times;
    this.weights = weights;
    this.itemCount = itemCount;
  }

  /** Number of users. */
  public int users() {
    return userIds.length;
  }

  /** Number of events. */
  public int size() {
    return items.length;
  }

  /** Number of item ordinals events may refer to (0 to itemCount - 1). */
  public int itemCount() {
    return itemCount;
  }

  /** The external id of user {@code u}. */
  public String userId(int u) {
    return userIds[u];
  }

  /** Index of user {@code u}'s first event. */
  public int start(int u) {
    return userStart[u];
  }

  /** Index after user {@code u}'s last event. */
  public int end(int u) {
    return userStart[u + 1];
  }

  /** User {@code u}'s items, oldest first, repeats kept. */
  public int[] items(int u) {
    return Arrays.copyOfRange(items, start(u), end(u));
  }

  /** For each item ordinal, how many distinct users have an event with it. */
  public int[] usersPerItem() {
    int[] users = new int[itemCount];
    IntHashSet seen = new IntHashSet();
    for (int u = 0; u < users(); u++) {
      seen.clear();
      for (int e = start(u); e < end(u); e++) {
        if (seen.add(items[e])) {
          users[items[e]]++;
        }
      }
    }
    return users;
  }

  /** The item of event {@code e}. */
  public int item(int e) {
    return items[e];
  }

  /** The type of event {@code e}. */
  public EventType type(int e) {
    return EventType.values()[types[e]];
  }

  /** The time of event {@code e}, seconds since the epoch. */
  public long time(int e) {
    return times[e];
  }

  /** The weight of event {@code e} ({@link Event#weight()}). */
  public float weight(int e) {
    return weights[e];
  }

  /** The latest time in the log, or 0 when it is empty. */
  public long latest() {
    long latest = 0;
    for (long t : times) {
      latest = Math.max(latest, t);
    }
    return latest;
  }

  /**
   * This log without each user's last event (the latest; the last added among those at the same
   * second), and those events, one per user with at least {@code minEvents} events: leave-last-out.
   */
  public Split leaveLastOut(int minEvents) {
    Builder train = new Builder(itemCount);
    List<Held> held = new ArrayList<>();
    for (int u = 0; u < users(); u++) {
      int s = start(u);
      int e = end(u);
      boolean hold = e - s >= minEvents;
      for (int i = s; i < (hold ? e - 1 : e); i++) {
        train.add(userIds[u], items[i], type(i), times[i], weights[i]);
      }
      if (hold) {
        held.add(new Held(userIds[u], items[e - 1], times[e - 1]));
      }
    }
    return new Split(train.build(), held);
  }

  /**
   * A leave-last-out split.
   *
   * @param train every event but the held-out ones
   * @param held one event per evaluated user
   */
  public record Split(Interactions train, List<Held> held) {}

  /**
   * A held-out event.
   *
   * @param user the user's id
   * @param item the item's ordinal
   * @param time when
   */
  public record Held(String user, int item, long time) {}

  /** Collects events in any order. Not thread-safe. */
  public static final class Builder {
    private final int itemCount;
    private final Map<String, Integer> users = new HashMap<>();
    private final List<String> userIds = new ArrayList<>();
    private int[] user = new int[1024];
    private int[] items = new int[1024];
    private byte[] types = new byte[1024];
    private long[] times = new long[1024];
    private float[] weights = new float[1024];
    private int size;

    /** A builder for events over ordinals 0 to {@code itemCount - 1}. */
    public Builder(int itemCount) {
      this.itemCount = itemCount;
    }

    /** Adds {@code event}, whose item has ordinal {@code item}. */
    public Builder add(Event event, int item) {
      return add(event.user(), item, event.type(), event.timestamp(), event.weight());
    }

    /** Adds one event. */
    public Builder add(String userId, int item, EventType type, long time, float weight) {
      if (item < 0 || item >= itemCount) {
        throw new IllegalArgumentException(
            "item ordinal " + item + " is outside 0.." + (itemCount - 1));
      }
      if (size == items.length) {
        int grown = size * 2;
        user = Arrays.copyOf(user, grown);
        items = Arrays.copyOf(items, grown);
        types = Arrays.copyOf(types, grown);
        times = Arrays.copyOf(times, grown);
        weights = Arrays.copyOf(weights, grown);
      }
      Integer u = users.get(userId);
      if (u == null) {
        u = userIds.size();
        users.put(userId, u);
        userIds.add(userId);
      }
      user[size] = u;
      items[size] = item;
      types[size] = (byte) type.ordinal();
      times[size] = time;
      weights[size] = weight;
      size++;
      return this;
    }

    /** The log, grouped by user and sorted by time within each. */
    public Interactions build() {
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      Arrays.sort(
          order,
          (a, b) ->
              user[a] != user[b]
                  ? Integer.compare(user[a], user[b])
                  : times[a] != times[b]
                      ? Long.compare(times[a], times[b])
                      : Integer.compare(a, b));
      int[] start = new int[userIds.size() + 1];
      int[] outItems = new int[size];
      byte[] outTypes = new byte[size];
      long[] outTimes = new long[size];
      float[] outWeights = new float[size];
      for (int i = 0; i < size; i++) {
        int e = order[i];
        start[user[e] + 1]++;
        outItems[i] = items[e];
        outTypes[i] = types[e];
        outTimes[i] = times[e];
        outWeights[i] = weights[e];
      }
      for (int u = 0; u < userIds.size(); u++) {
        start[u + 1] += start[u];
      }
      return new Interactions(
          userIds.toArray(String[]::new),
          start,
          outItems,
          outTypes,
          outTimes,
          outWeights,
          itemCount);
    }
  }
}
