package dev.magpie.ingest.load;

import dev.magpie.engine.behaviour.Event;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.embed.Embedder;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.live.LiveUpdate;
import dev.magpie.engine.live.WriteAheadLog;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.ingest.input.CatalogSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code magpie load --base} folds into a new snapshot: the base snapshot's items (their
 * vectors kept, so nothing is embedded again) with every item change of the write-ahead log after
 * the base applied, then the items the log added (with their logged vectors; the first add of an id
 * wins, as it did live), withdrawn items left out; its knowledge; and the log's events to add to
 * the event log. Reads the log without changing it, so a server may keep appending: records still
 * being written are not folded and stay for the server to replay. Owns the open base snapshot.
 */
public final class BaseFold implements AutoCloseable {
  private final Snapshot base;
  private final Map<String, Item> changed = new HashMap<>();

  /** Items the log added, in log order, with the changes logged after them. */
  private final Map<String, Item> added = new LinkedHashMap<>();

  private final Set<String> withdrawn = new HashSet<>();
  private final List<Event> events = new ArrayList<>();
  private final long folded;
  private final long records;

  /**
   * Opens the base version {@code versionDir} and reads the log in {@code wal} (absent: nothing to
   * fold) past the sequence the base already holds.
   */
  public BaseFold(Path versionDir, Path wal) throws IOException {
    this.base = Snapshot.open(versionDir);
    try {
      long from = WriteAheadLog.folded(base.manifest());
      long[] count = {0};
      this.folded =
          WriteAheadLog.read(
              wal,
              from,
              (sequence, update) -> {
                count[0]++;
                take(update);
              });
      this.records = count[0];
    } catch (IOException | RuntimeException e) {
      base.close();
      throw e;
    }
  }

  private void take(LiveUpdate update) {
    ItemStore items = base.items();
    switch (update) {
      case LiveUpdate.NewItem n -> {
        if (items.ordinalOf(n.itemId()) < 0) {
          added.putIfAbsent(n.itemId(), n.item());
        }
      }
      case LiveUpdate.ItemChange c -> {
        int ordinal = items.ordinalOf(c.itemId());
        Map<String, Item> into = ordinal >= 0 ? changed : added;
        Item item =
            ordinal >= 0
                ? changed.computeIfAbsent(c.itemId(), id -> items.item(ordinal))
                : added.get(c.itemId());
        if (item == null) {
          return;
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

  /** The base snapshot. */
  public Snapshot base() {
    return base;
  }

  /** The last log sequence folded (the base's own when the log adds nothing). */
  public long foldedSequence() {
    return folded;
  }

  /** Log records folded. */
  public long records() {
    return records;
  }

  /** Items the log added (withdrawn ones included). */
  public int addedCount() {
    return added.size();
  }

  /** Items withdrawn by the log, left out of the new snapshot. */
  public int withdrawnCount() {
    return withdrawn.size();
  }

  /** Whether the log withdrew the item {@code id} (so the fold leaves it out). */
  public boolean withdrew(String id) {
    return withdrawn.contains(id);
  }

  /** Events from the log, oldest first, to add after the event log's own. */
  public List<Event> events() {
    return events;
  }

  /** The base's knowledge. */
  public Knowledge knowledge() {
    return base.knowledge();
  }

  /** Dimension of the base's vectors (0: none). */
  public int vectorDimension() {
    return base.items().vectorDimension();
  }

  /**
   * Sends every item of the base, changed as the log says and in the base's order, then the items
   * the log added, in log order, to {@code sink}, leaving out withdrawn ones.
   */
  public void feed(CatalogSink sink) throws IOException {
    ItemStore items = base.items();
    String name = "base:" + base.dir();
    for (int i = 0; i < items.size(); i++) {
      String id = items.externalId(i);
      if (withdrawn.contains(id)) {
        continue;
      }
      Item item = changed.get(id);
      sink.accept(item != null ? item : items.item(i), name, i + 1L);
    }
    String log = "log:" + added.size() + " added items";
    long row = 0;
    for (Item item : added.values()) {
      row++;
      if (!withdrawn.contains(item.externalId())) {
        sink.accept(item, log, row);
      }
    }
  }

  /** Build parameters to record: the base, the folded sequence, and the base's query embedder. */
  public Map<String, String> buildParameters() {
    Map<String, String> build = new LinkedHashMap<>();
    build.put("base", base.dir().toString());
    build.put(WriteAheadLog.FOLDED, Long.toString(folded));
    build.put("walRecordsFolded", Long.toString(records));
    build.put("walWithdrawn", Integer.toString(withdrawn.size()));
    String embedder = base.manifest().build().get(Embedder.MANIFEST_PARAMETER);
    if (embedder != null) {
      build.put(Embedder.MANIFEST_PARAMETER, embedder);
    }
    return build;
  }

  @Override
  public void close() {
    base.close();
  }
}
