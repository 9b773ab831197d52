package dev.magpie.ingest.load;

import dev.magpie.engine.behaviour.Event;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.live.LiveUpdate;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.ingest.input.CatalogSink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Live updates, from a write-ahead log or an update topic, taken over a base's items as a server
 * applied them: a changed item's new sale terms, the items added (the first add of an id wins, as
 * it did live) with the changes logged after them, the items withdrawn (an available one back
 * again), and the events in the order read.
 */
final class LoggedChanges {
  /** The base the updates apply to. */
  @FunctionalInterface
  interface BaseItems {
    /** The base's item {@code id}, or null when the base does not hold it. */
    Item find(String id);

    /** Item {@code id} of {@code items}, or null when it holds none. */
    static Item in(ItemStore items, String id) {
      int ordinal = items.ordinalOf(id);
      return ordinal < 0 ? null : items.item(ordinal);
    }
  }

  private final BaseItems base;

  /** Base items the updates changed, by id. */
  final Map<String, Item> changed = new HashMap<>();

  /** Items the updates added, in the order added, with the changes logged after them. */
  final Map<String, Item> added = new LinkedHashMap<>();

  /** Items withdrawn, base or added. */
  final Set<String> withdrawn = new HashSet<>();

  /** Events, oldest record first. */
  final List<Event> events = new ArrayList<>();

  private long records;

  LoggedChanges(BaseItems base) {
    this.base = base;
  }

  /** Takes the next update. */
  void take(LiveUpdate update) {
    records++;
    switch (update) {
      case LiveUpdate.NewItem n -> {
        if (!changed.containsKey(n.itemId()) && base.find(n.itemId()) == null) {
          added.putIfAbsent(n.itemId(), n.item());
        }
      }
      case LiveUpdate.ItemChange c -> {
        // A base item (already changed, or looked up once), else one the updates added.
        Map<String, Item> into = changed;
        Item item = changed.get(c.itemId());
        if (item == null && added.containsKey(c.itemId())) {
          into = added;
          item = added.get(c.itemId());
        } else if (item == null) {
          item = base.find(c.itemId());
        }
        if (item == null) {
          return; // a change of an item neither the base nor the log has: nothing to change
        }
        item =
            item.withSale(
                c.setsPrice() ? c.priceMinor() : item.priceMinor(),
                c.setsPrice() && !c.currency().isEmpty() ? c.currency() : item.currency(),
                c.setsStock() ? c.stock() : item.stock());
        into.put(c.itemId(), item);
        if (c.availability() == LiveUpdate.Availability.WITHDRAWN) {
          withdrawn.add(c.itemId());
        } else if (c.availability() == LiveUpdate.Availability.AVAILABLE) {
          withdrawn.remove(c.itemId());
        }
      }
      case LiveUpdate.Event e ->
          events.add(new Event(e.user(), e.itemId(), e.type(), e.epochSeconds(), "", Float.NaN));
    }
  }

  /**
   * The base's item {@code ordinal} of {@code items} as the fold writes it: changed as the updates
   * say, or as it was; null when the updates withdrew it.
   */
  Item folded(ItemStore items, int ordinal) {
    String id = items.externalId(ordinal);
    if (withdrawn.contains(id)) {
      return null;
    }
    Item item = changed.get(id);
    return item != null ? item : items.item(ordinal);
  }

  /** Updates taken. */
  long records() {
    return records;
  }

  /**
   * Sends the items the updates added to {@code sink} in the order of their ids, leaving out
   * withdrawn ones; {@code log} names them as a source. By id, not as logged: a cluster's update
   * log orders each shard's updates but not one shard's against another's, and a fold of the shards
   * must give every item the catalog position a single node's fold gives it.
   */
  void feedAdded(CatalogSink sink, String log) throws IOException {
    List<Item> byId = new ArrayList<>(added.values());
    byId.sort(Comparator.comparing(Item::externalId));
    long row = 0;
    for (Item item : byId) {
      row++;
      if (!withdrawn.contains(item.externalId())) {
        sink.accept(item, log, row);
      }
    }
  }
}
