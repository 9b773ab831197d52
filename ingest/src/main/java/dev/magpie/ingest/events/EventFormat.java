package dev.magpie.ingest.events;

import java.util.Locale;

/** The layouts of event logs Magpie reads. */
public enum EventFormat {
  /**
   * CSV with a header (or JSONL, one object per line) with user_id, item_id, event, timestamp and
   * optionally session and rating; timestamps in epoch seconds, epoch milliseconds or ISO-8601.
   */
  GENERIC,
  /**
   * Alibaba's UserBehavior: no header, user_id,item_id,category_id,behavior,timestamp; behavior pv,
   * cart, fav, buy.
   */
  TAOBAO,
  /** MovieLens ratings.csv: userId,movieId,rating,timestamp with a header; every row a rating. */
  MOVIELENS;

  /**
   * The format named {@code name}.
   *
   * @throws IllegalArgumentException naming the value and the formats
   */
  public static EventFormat parse(String name) {
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown event format '" + name + "': expected generic, taobao or movielens");
    }
  }
}
