package dev.magpie.ingest.load;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.embed.Embedder;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.live.WriteAheadLog;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.ingest.input.CatalogSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code magpie load --base} folds into a new snapshot: the base snapshot's items (their
 * vectors kept, so nothing is embedded again) with every item change of the write-ahead log after
 * the base applied, then the items the log added, by id (with their logged vectors; the first add
 * of an id wins, as it did live), withdrawn items left out; its knowledge; and the log's events to
 * add to the event log. Reads the log without changing it, so a server may keep appending: records
 * still being written are not folded and stay for the server to replay. Owns the open base
 * snapshot.
 */
public final class BaseFold extends LoggedFold {
  private final Snapshot base;
  private final LoggedChanges changes;
  private final long folded;

  /**
   * Opens the base version {@code versionDir} and reads the log in {@code wal} (absent: nothing to
   * fold) past the sequence the base already holds.
   */
  public BaseFold(Path versionDir, Path wal) throws IOException {
    this.base = Snapshot.open(versionDir);
    try {
      ItemStore items = base.items();
      this.changes = new LoggedChanges(id -> LoggedChanges.BaseItems.in(items, id));
      this.folded =
          WriteAheadLog.read(
              wal,
              WriteAheadLog.folded(base.manifest()),
              (sequence, update) -> changes.take(update));
    } catch (IOException | RuntimeException e) {
      base.close();
      throw e;
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

  @Override
  LoggedChanges changes() {
    return changes;
  }

  @Override
  public Knowledge knowledge() {
    return base.knowledge();
  }

  @Override
  public int vectorDimension() {
    return base.items().vectorDimension();
  }

  @Override
  public void feed(CatalogSink sink) throws IOException {
    ItemStore items = base.items();
    String name = "base:" + base.dir();
    for (int i = 0; i < items.size(); i++) {
      Item item = changes.folded(items, i);
      if (item != null) {
        sink.accept(item, name, i + 1L);
      }
    }
    changes.feedAdded(sink, "log:" + changes.added.size() + " added items");
  }

  /** Build parameters to record: the base, the folded sequence, and the base's query embedder. */
  @Override
  public Map<String, String> buildParameters() {
    Map<String, String> build = new LinkedHashMap<>();
    build.put("base", base.dir().toString());
    build.put(WriteAheadLog.FOLDED, Long.toString(folded));
    build.put("walRecordsFolded", Long.toString(changes.records()));
    build.put("walWithdrawn", Integer.toString(changes.withdrawn.size()));
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
