package dev.magpie.engine.behaviour;

import java.util.Objects;

/**
 * One thing a shopper did.
 *
 * @param user the shopper's id
 * @param item the item's external id
 * @param type what they did
 * @param timestamp when, in seconds since the epoch
 * @param session the session id, or null when the log has none
 * @param rating the rating given (0.5 to 5 for MovieLens) for {@link EventType#RATING}, else NaN
 */
public record Event(
    String user, String item, EventType type, long timestamp, String session, float rating) {
  /** Checks the fields. */
  public Event {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(type, "type");
    if (type == EventType.RATING != !Float.isNaN(rating)) {
      throw new IllegalArgumentException(
          "a rating event needs a rating and no other event has one: "
              + type
              + " with rating "
              + rating);
    }
  }

  /** An event of a type other than rating. */
  public static Event of(String user, String item, EventType type, long timestamp) {
    return new Event(user, item, type, timestamp, null, Float.NaN);
  }

  /**
   * How strongly this event says the shopper wants the item: the type's weight, scaled by a rating.
   */
  public float weight() {
    return type == EventType.RATING
        ? EventType.RATING.weight() * ratingScale(rating)
        : type.weight();
  }

  /**
   * A rating on MovieLens' 0.5 to 5 scale as a factor from 0.55 to 1: a low rating still says the
   * shopper chose the item, a high one says more.
   */
  static float ratingScale(float rating) {
    return 0.5f + rating / 10f;
  }
}
