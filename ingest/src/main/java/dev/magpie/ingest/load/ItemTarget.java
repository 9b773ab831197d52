package dev.magpie.ingest.load;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.snapshot.ShardSetWriter;
import dev.magpie.engine.snapshot.SnapshotWriter;
import java.io.IOException;

/** Where a load's accepted items go, in input order: one snapshot, or a catalog's shards. */
interface ItemTarget {
  /** Takes the catalog's next item. */
  void add(Item item) throws IOException;

  /** Items taken so far. */
  long itemCount();

  /**
   * Whether {@code item} must be embedded before it is taken: a sharded load that builds one shard
   * embeds only that shard's items (and the sample the vector scale is fitted to, when finishing).
   */
  boolean needsVector(Item item);

  /** One unsharded snapshot. */
  static ItemTarget of(SnapshotWriter writer) {
    return new ItemTarget() {
      @Override
      public void add(Item item) throws IOException {
        writer.add(item);
      }

      @Override
      public long itemCount() {
        return writer.itemCount();
      }

      @Override
      public boolean needsVector(Item item) {
        return true;
      }
    };
  }

  /** The shards {@code shards} builds. */
  static ItemTarget of(ShardSetWriter shards) {
    return new ItemTarget() {
      @Override
      public void add(Item item) throws IOException {
        shards.add(item);
      }

      @Override
      public long itemCount() {
        return shards.itemCount();
      }

      @Override
      public boolean needsVector(Item item) {
        return shards.builds(item);
      }
    };
  }
}
