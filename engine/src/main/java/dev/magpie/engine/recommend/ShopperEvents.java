package dev.magpie.engine.recommend;

import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.shard.ItemRef;
import java.util.List;

/**
 * A shopper's latest events as their home shard holds them, newest first: what a profile is built
 * from (the first recommendation phase). Items are named as stored: by {@link ItemRef} for the
 * snapshot's history, by id for events recorded since on a shard that does not hold the item.
 *
 * @param user the shopper's id
 * @param items each event's item, newest first (at most {@link UserProfiles#MAX_EVENTS})
 * @param types each event's type
 * @param seen every item of the shopper's stored and recorded history (not recommended again)
 */
public record ShopperEvents(
    String user, List<ItemKey> items, List<EventType> types, List<ItemKey> seen) {
  /** Copies the lists and checks that items and types pair up. */
  public ShopperEvents {
    items = List.copyOf(items);
    types = List.copyOf(types);
    seen = List.copyOf(seen);
    if (items.size() != types.size()) {
      throw new IllegalArgumentException(
          "events: " + items.size() + " items, " + types.size() + " types");
    }
  }

  /** No events: an anonymous shopper, or one nothing is known of. */
  public static ShopperEvents none(String user) {
    return new ShopperEvents(user, List.of(), List.of(), List.of());
  }
}
