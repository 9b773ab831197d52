package dev.magpie.engine.live;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.recommend.UserProfiles;
import dev.magpie.engine.shard.Shard;
import dev.magpie.engine.shard.ShardFunction;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.text.TextIndex;
import dev.magpie.engine.vector.VectorIndex;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Applies {@link LiveUpdate}s to one open snapshot: new items after the snapshot's (item store,
 * text index, vector index), price, stock and availability as the items' next epoch ({@link
 * ItemStore.Writer}), events into the shoppers' profiles. {@link #check} tells a caller before an
 * update is logged whether it would apply (against the published epoch; any thread); {@link #apply}
 * is called by the single writer after it is durable, and {@link #publish} after each batch, which
 * makes the whole batch visible at once as the snapshot's next {@link
 * dev.magpie.engine.snapshot.View}. Item statistics (popularity, co-occurrence) learn of events at
 * the next snapshot. On a shard, an event comes to the shopper's home shard (the update log
 * partitions events by shopper) and may name another shard's item: it is recorded by the item's id
 * (the router checked that the item exists).
 */
public final class LiveApplier {
  private final Snapshot snapshot;
  private final ItemStore.Writer items;
  private final TextIndex text;
  private final VectorIndex vectors;
  private final UserProfiles profiles;

  /** The snapshot's shard, or null on a single node. */
  private final Shard shard;

  /** Applies to {@code snapshot} and to {@code profiles} of its shoppers. */
  public LiveApplier(Snapshot snapshot, UserProfiles profiles) {
    this.snapshot = snapshot;
    this.shard = Shard.of(snapshot.manifest().build());
    this.items = snapshot.items().writer();
    this.text = snapshot.text();
    this.vectors = snapshot.vectors();
    this.profiles = profiles;
  }

  /**
   * Why {@code update} would not apply to this snapshot, as "field: problem" (the field named as
   * the API names it), or null when it would.
   */
  public String check(LiveUpdate update) {
    ItemStore items = snapshot.items();
    if (update instanceof LiveUpdate.NewItem n) {
      return check(items, n.item());
    }
    if (update instanceof LiveUpdate.Event e && elsewhere(e)) {
      return e.user().isBlank() ? "user: must not be empty" : null;
    }
    int ordinal = items.ordinalOf(update.itemId());
    if (ordinal < 0) {
      return "item_id: no item '" + update.itemId() + "' in the catalog";
    }
    return switch (update) {
      case LiveUpdate.ItemChange c ->
          !c.setsPrice() || currency(items, c, ordinal) >= 0
              ? null
              : c.currency().isEmpty()
                  ? "currency: item '"
                      + c.itemId()
                      + "' has no price yet, so a new one needs its currency"
                  : "currency: '"
                      + c.currency()
                      + "' is not a currency of this catalog "
                      + items.currencyCodes();
      case LiveUpdate.Event e -> e.user().isBlank() ? "user: must not be empty" : null;
      case LiveUpdate.NewItem n -> throw new AssertionError("checked above");
    };
  }

  /** Whether {@code e} names an item another shard holds. */
  private boolean elsewhere(LiveUpdate.Event e) {
    return shard != null
        && shard.count() > 1
        && ShardFunction.shardOf(e.itemId(), shard.count()) != shard.index();
  }

  private String check(ItemStore items, Item item) {
    String why = items.whyNotAppendable(item);
    if (why == null && item.hasVector() && vectors != null) {
      String rejected = vectors.whyRejected(item.vector());
      why = rejected == null ? null : "vector: " + rejected;
    }
    return why;
  }

  /**
   * The currency ordinal a price change is in: the one it names, else the item's own; -1 when
   * unknown here.
   */
  private static int currency(ItemStore items, LiveUpdate.ItemChange c, int ordinal) {
    return c.currency().isEmpty()
        ? items.currencyOrdinal(ordinal)
        : items.currencyOrdinalOf(c.currency());
  }

  /**
   * Applies {@code update}; false when it no longer applies (what {@link #check} would refuse:
   * possible when the log is replayed into a different snapshot).
   */
  public boolean apply(LiveUpdate update) {
    if (update instanceof LiveUpdate.NewItem n) {
      return add(n.item());
    }
    if (update instanceof LiveUpdate.Event e && elsewhere(e)) {
      if (e.user().isBlank()) {
        return false;
      }
      profiles.recordElsewhere(e.user(), e.itemId(), e.type());
      return true;
    }
    int ordinal = items.pending().ordinalOf(update.itemId());
    if (ordinal < 0) {
      return false;
    }
    switch (update) {
      case LiveUpdate.ItemChange c -> {
        if (c.setsPrice()) {
          int currency = currency(items.pending(), c, ordinal);
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
        profiles.record(items.pending(), e.user(), ordinal, e.type());
      }
      case LiveUpdate.NewItem n -> throw new AssertionError("applied above");
    }
    return true;
  }

  /** Appends {@code item} to the item store and both indexes; false when it no longer applies. */
  private boolean add(Item item) {
    if (check(items.pending(), item) != null) {
      return false;
    }
    // Indexed first: the text index is the part that can fail; nothing of the item is visible to
    // readers before the batch is published, in every channel at once.
    int ordinal = items.pending().size();
    try {
      text.append(ordinal, item);
    } catch (IOException e) {
      throw new UncheckedIOException("indexing added item '" + item.externalId() + "'", e);
    }
    items.append(item);
    if (item.hasVector() && vectors != null) {
      vectors.append(ordinal, item.vector());
    }
    return true;
  }

  /**
   * Publishes everything applied since the last call as the snapshot's next view: the items' new
   * epoch and the text index refreshed to the items added. Called by the writer after each batch.
   */
  public void publish() {
    try {
      snapshot.views().publish(items.publish());
    } catch (IOException e) {
      throw new UncheckedIOException("publishing added items to the text index", e);
    }
  }
}
