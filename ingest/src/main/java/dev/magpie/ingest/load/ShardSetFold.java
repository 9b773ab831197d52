package dev.magpie.ingest.load;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.embed.Embedder;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.live.LiveUpdate;
import dev.magpie.engine.route.ClusterDirectory;
import dev.magpie.engine.shard.Shard;
import dev.magpie.engine.shard.ShardFunction;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.ingest.input.CatalogSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What {@code magpie load --base CLUSTER_DIR --updates-kafka ...} folds into a new shard set: every
 * shard's items, in the whole catalog's order, changed as the catalog's update log says from the
 * offset each shard was built at to the log's end now, then the items the log added; the knowledge;
 * and the logged events, which the load adds to the event log before computing behaviour over the
 * whole catalog again, as a single node's fold does. Each new shard records the offset its
 * partition was read to: its replicas replay from there. Owns the open shards.
 *
 * <p>Partition p of the log holds the changes of shard p's items and the events of the shoppers
 * whose home is shard p, so every item's changes are read in the order they were acknowledged. No
 * order holds between partitions: the added items go after the base's by id (as in a single node's
 * fold), and the events are read in shard order.
 */
public final class ShardSetFold extends LoggedFold {
  /** A catalog's update log, one partition per shard. */
  @FunctionalInterface
  public interface UpdateLog {
    /**
     * Reads partition {@code partition} of the log's {@code partitions} (the catalog's shard count)
     * in order from {@code from} to its end as of the call, handing each update to {@code into}; a
     * record that does not decode is reported and skipped.
     *
     * @return the offset after the last record read ({@code from} when there was none)
     * @throws IOException when the partition cannot be read to its end, or no longer holds {@code
     *     from}
     */
    long read(int partition, int partitions, long from, Consumer<LiveUpdate> into)
        throws IOException;
  }

  private final Path dir;
  private final List<Snapshot> shards;
  private final LoggedChanges changes;
  private final Map<Integer, Long> readFrom = new TreeMap<>();
  private final Map<Integer, Long> readTo = new TreeMap<>();

  /**
   * Opens the current version of every shard in the cluster directory {@code dir} and reads each
   * shard's partition of {@code log} from the offset the shard was built at.
   *
   * @throws IOException when the shards do not form one set or the log cannot be read
   */
  public ShardSetFold(Path dir, UpdateLog log) throws IOException {
    this.dir = dir;
    this.shards = ClusterDirectory.open(dir);
    try {
      int count = shards.size();
      this.changes =
          new LoggedChanges(
              id ->
                  LoggedChanges.BaseItems.in(
                      shards.get(ShardFunction.shardOf(id, count)).items(), id));
      for (int p = 0; p < count; p++) {
        long from =
            Long.parseLong(
                shards.get(p).manifest().build().getOrDefault(Shard.UPDATES_OFFSET_PARAMETER, "0"));
        readFrom.put(p, from);
        readTo.put(p, log.read(p, count, from, changes::take));
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The shards folded, in shard order. */
  public List<Snapshot> shards() {
    return Collections.unmodifiableList(shards);
  }

  /** Where each shard's partition was read from (the offset the shard was built at), by shard. */
  public Map<Integer, Long> readFrom() {
    return Collections.unmodifiableMap(readFrom);
  }

  /**
   * Where each shard's partition was read to, by shard: the offsets the new shards record, every
   * update before them folded in.
   */
  public Map<Integer, Long> foldedOffsets() {
    return Collections.unmodifiableMap(readTo);
  }

  @Override
  LoggedChanges changes() {
    return changes;
  }

  @Override
  public Knowledge knowledge() {
    return shards.getFirst().knowledge();
  }

  @Override
  public int vectorDimension() {
    return shards.getFirst().items().vectorDimension();
  }

  /**
   * Sends every shard's items merged into the whole catalog's order (each shard holds its items in
   * that order, and records each one's position in it), changed and without the withdrawn, then the
   * items the log added.
   */
  @Override
  public void feed(CatalogSink sink) throws IOException {
    // Each shard's next item, by catalog position: [position, shard, ordinal].
    PriorityQueue<long[]> next = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    for (int s = 0; s < shards.size(); s++) {
      if (shards.get(s).items().size() > 0) {
        next.add(new long[] {shards.get(s).items().catalogPosition(0), s, 0});
      }
    }
    String name = "base:" + dir;
    long row = 0;
    while (!next.isEmpty()) {
      long[] at = next.poll();
      int shard = (int) at[1];
      int ordinal = (int) at[2];
      ItemStore items = shards.get(shard).items();
      row++;
      Item item = changes.folded(items, ordinal);
      if (item != null) {
        sink.accept(item, name, row);
      }
      if (ordinal + 1 < items.size()) {
        long position = items.catalogPosition(ordinal + 1);
        if (position <= at[0]) {
          throw new IOException(
              shards.get(shard).dir()
                  + ": items out of catalog order at ordinal "
                  + (ordinal + 1)
                  + " (position "
                  + position
                  + " after "
                  + at[0]
                  + ")");
        }
        at[0] = position;
        at[2] = ordinal + 1;
        next.add(at);
      }
    }
    changes.feedAdded(sink, "log:" + changes.added.size() + " added items");
  }

  /** Build parameters: the base, the updates folded, and the base's query embedder. */
  @Override
  public Map<String, String> buildParameters() {
    Map<String, String> build = new LinkedHashMap<>();
    build.put("base", dir.toString());
    build.put("updatesFolded", Long.toString(changes.records()));
    build.put("updatesWithdrawn", Integer.toString(changes.withdrawn.size()));
    String embedder = shards.getFirst().manifest().build().get(Embedder.MANIFEST_PARAMETER);
    if (embedder != null) {
      build.put(Embedder.MANIFEST_PARAMETER, embedder);
    }
    return build;
  }

  @Override
  public void close() {
    for (Snapshot s : shards) {
      s.close();
    }
  }
}
