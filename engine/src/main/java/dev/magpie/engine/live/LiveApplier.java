package dev.magpie.engine.live;

import dev.magpie.engine.recommend.UserProfiles;
import dev.magpie.engine.snapshot.ItemStore;

/**
 * Applies {@link LiveUpdate}s to one open snapshot: price, stock and availability into the item
 * columns in place, events into the shoppers' profiles. {@link #check} tells a caller before an
 * update is logged whether it would apply; {@link #apply} is called by the single writer after it is
 * durable. Item statistics (popularity, co-occurrence) learn of events at the next snapshot.
 */
public final class LiveApplier {
  private final ItemStore items;
  private final UserProfiles profiles;

  /** Applies to {@code items} and {@code profiles} of one snapshot. */
  public LiveApplier(ItemStore items, UserProfiles profiles) {
    this.items = items;
    this.profiles = profiles;
  }

  /**
   * Why {@code update} would not apply to this snapshot, as "field: problem" (the field named as the
   * API names it), or null when it would.
   */
  public String check(LiveUpdate update) {
    int ordinal = items.ordinalOf(update.itemId());
    if (ordinal < 0) {
      return "item_id: no item '" + update.itemId() + "' in the catalog";
    }
    return switch (update) {
      case LiveUpdate.ItemChange c -> !c.setsPrice() || currency(c, ordinal) >= 0 ? null
          : c.currency().isEmpty() ? "currency: item '" + c.itemId() + "' has no price yet, so a new one needs its currency"
          : "currency: '" + c.currency() + "' is not a currency of this catalog " + items.currencyCodes();
      case LiveUpdate.Event e -> e.user().isBlank() ? "user: must not be empty" : null;
    };
  }

  /** The currency ordinal a price change is in: the one it names, else the item's own; -1 when unknown here. */
  private int currency(LiveUpdate.ItemChange c, int ordinal) {
    return c.currency().isEmpty() ? items.currencyOrdinal(ordinal) : items.currencyOrdinalOf(c.currency());
  }

  /**
   * Applies {@code update}; false when it no longer applies (what {@link #check} would refuse:
   * possible when the log is replayed into a different snapshot).
   */
  public boolean apply(LiveUpdate update) {
    int ordinal = items.ordinalOf(update.itemId());
    if (ordinal < 0) {
      return false;
    }
    switch (update) {
      case LiveUpdate.ItemChange c -> {
        if (c.setsPrice()) {
          int currency = currency(c, ordinal);
          if (currency < 0) {
            return false;
          }
          items.setPrice(ordinal, c.priceMinor(), currency);
        }
        if (c.setsStock()) {
          items.setStock(ordinal, c.stock());
        }
        if (c.availability() != LiveUpdate.Availability.UNCHANGED) {
          items.setWithdrawn(ordinal, c.availability() == LiveUpdate.Availability.WITHDRAWN);
        }
      }
      case LiveUpdate.Event e -> {
        if (e.user().isBlank()) {
          return false;
        }
        profiles.record(e.user(), ordinal, e.type());
      }
    }
    return true;
  }
}
