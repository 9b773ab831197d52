package dev.magpie.engine.behaviour;

import java.lang.foreign.MemorySegment;

/**
 * Per-item behaviour statistics in columns indexed by item ordinal: on the heap when just built,
 * mapped from the snapshot's {@link BehaviourFile} when opened. An item added live after the model
 * was built (ordinal {@link #size()} or more) has no events: zero counts, no age.
 *
 * <pre>
 *  column      type        what
 *  views       int32[n]    view events
 *  favs        int32[n]    favourite events
 *  carts       int32[n]    cart events
 *  buys        int32[n]    purchases
 *  ratings     int32[n]    rating events
 *  users       int32[n]    distinct users who did anything with the item
 *  popularity  float32[n]  time-decayed sum of event weights, at the log's latest time
 *  conversion  float32[n]  smoothed buys per view: (buys + 20 * global rate) / (views + 20)
 *  age         float32[n]  days from the item's first event to the log's latest; +inf: no event
 * </pre>
 */
public final class ItemStats {
  /** The columns, in file order. */
  static final int COLUMNS = 9;

  private final MemorySegment[] columns;
  private final int size;

  ItemStats(MemorySegment[] columns) {
    if (columns.length != COLUMNS) {
      throw new IllegalArgumentException(
          "item stats: " + columns.length + " columns, expected " + COLUMNS);
    }
    this.size = (int) (columns[0].byteSize() / Integer.BYTES);
    for (MemorySegment c : columns) {
      if (c.byteSize() != (long) size * Integer.BYTES) {
        throw new IllegalArgumentException("item stats: columns of different lengths");
      }
    }
    this.columns = columns.clone();
  }

  /** Statistics from arrays (copied into heap segments), all of one length. */
  public static ItemStats of(
      int[] views,
      int[] favs,
      int[] carts,
      int[] buys,
      int[] ratings,
      int[] users,
      float[] popularity,
      float[] conversion,
      float[] ageDays) {
    MemorySegment[] c = {
      ItemRelations.segment(views), ItemRelations.segment(favs), ItemRelations.segment(carts),
      ItemRelations.segment(buys), ItemRelations.segment(ratings), ItemRelations.segment(users),
      ItemRelations.segment(popularity), ItemRelations.segment(conversion),
          ItemRelations.segment(ageDays)
    };
    return new ItemStats(c);
  }

  /** Number of items. */
  public int size() {
    return size;
  }

  private int intAt(int column, int item) {
    return item >= size ? 0 : columns[column].get(ItemRelations.INT, (long) item * Integer.BYTES);
  }

  private float floatAt(int column, int item) {
    return item >= size ? 0f : columns[column].get(ItemRelations.FLOAT, (long) item * Float.BYTES);
  }

  /** View events of {@code item}. */
  public int views(int item) {
    return intAt(0, item);
  }

  /** Favourite events of {@code item}. */
  public int favs(int item) {
    return intAt(1, item);
  }

  /** Cart events of {@code item}. */
  public int carts(int item) {
    return intAt(2, item);
  }

  /** Purchases of {@code item}. */
  public int buys(int item) {
    return intAt(3, item);
  }

  /** Rating events of {@code item}. */
  public int ratings(int item) {
    return intAt(4, item);
  }

  /** Distinct users who did anything with {@code item}. */
  public int users(int item) {
    return intAt(5, item);
  }

  /** Time-decayed popularity of {@code item}. */
  public float popularity(int item) {
    return floatAt(6, item);
  }

  /** Smoothed conversion of {@code item}. */
  public float conversion(int item) {
    return floatAt(7, item);
  }

  /**
   * Days from {@code item}'s first event to the log's latest event (how long shoppers have known
   * it), or positive infinity when it has none.
   */
  public float ageDays(int item) {
    return item >= size ? Float.POSITIVE_INFINITY : floatAt(8, item);
  }

  /**
   * How new {@code item} is to shoppers: 1 for an item first seen at the log's latest time, halving
   * every {@code halfLifeDays}; 0 for one never seen (unknown, not new).
   */
  public float freshness(int item, float halfLifeDays) {
    float age = ageDays(item);
    return Float.isInfinite(age) ? 0f : (float) Math.pow(0.5, Math.max(0, age) / halfLifeDays);
  }

  MemorySegment column(int i) {
    return columns[i];
  }
}
