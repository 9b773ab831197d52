package dev.magpie.engine.live;

import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.catalog.Item;
import java.util.Objects;

/**
 * One change the live layer logs and applies: a new item, an item's sale facts or a shopper's
 * event.
 */
public sealed interface LiveUpdate {

  /** The external id of the item the update is about. */
  String itemId();

  /** Whether an {@link ItemChange} sets an item available again, withdraws it, or leaves it. */
  enum Availability {
    /** Not changed. */
    UNCHANGED,
    /** Listed for sale (again). */
    AVAILABLE,
    /** Withdrawn from sale: never returned by search, recommendations or baskets. */
    WITHDRAWN
  }

  /**
   * New sale facts for an existing item; each part optional.
   *
   * @param itemId the item's external id
   * @param priceMinor the new price in minor units, or -1 to keep the price
   * @param currency the price's ISO 4217 code; "" keeps the item's currency
   * @param stock units in stock (-1: unknown), or {@link #KEEP_STOCK}
   * @param availability whether to withdraw or list the item again
   */
  record ItemChange(
      String itemId, long priceMinor, String currency, int stock, Availability availability)
      implements LiveUpdate {
    /** {@link #stock()} of a change that leaves the stock as it is. */
    public static final int KEEP_STOCK = Integer.MIN_VALUE;

    /** Checks nulls and ranges. */
    public ItemChange {
      Objects.requireNonNull(itemId, "itemId");
      Objects.requireNonNull(currency, "currency");
      Objects.requireNonNull(availability, "availability");
      if (priceMinor < -1) {
        throw new IllegalArgumentException("priceMinor " + priceMinor);
      }
      if (stock < -1 && stock != KEEP_STOCK) {
        throw new IllegalArgumentException("stock " + stock);
      }
    }

    /** Whether the change sets the price. */
    public boolean setsPrice() {
      return priceMinor >= 0;
    }

    /** Whether the change sets the stock. */
    public boolean setsStock() {
      return stock != KEEP_STOCK;
    }
  }

  /**
   * An item new to the catalog, searchable and recommendable from the moment it applies (until the
   * next snapshot folds it in, from the live layer's delta; see {@code ItemStore#append}). Its
   * vector, when the catalog has vectors, was computed before it was logged, so a replay never
   * needs the embedding model.
   *
   * @param item the item, validated as a catalog row is
   */
  record NewItem(Item item) implements LiveUpdate {
    /** Checks nulls. */
    public NewItem {
      Objects.requireNonNull(item, "item");
    }

    @Override
    public String itemId() {
      return item.externalId();
    }
  }

  /**
   * Something a shopper did with an item.
   *
   * @param user the shopper's id, not empty
   * @param itemId the item's external id
   * @param type what they did
   * @param epochSeconds when, in seconds since the epoch
   */
  record Event(String user, String itemId, EventType type, long epochSeconds)
      implements LiveUpdate {
    /** Checks nulls. */
    public Event {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(itemId, "itemId");
      Objects.requireNonNull(type, "type");
    }
  }
}
