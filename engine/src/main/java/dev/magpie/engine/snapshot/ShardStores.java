package dev.magpie.engine.snapshot;

import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.text.TextIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes every shard of a small catalog in this process, each shard a store of its own ({@code
 * dir/shard-I}), published together, and opens them: for evaluations and tests that compare a
 * sharded catalog with one store. A load from files goes through the loader instead ({@code magpie
 * load --shards}).
 */
public final class ShardStores {
  private ShardStores() {}

  /** Adds a catalog's items (and its behaviour) to the writer of its shards. */
  public interface Fill {
    /** Adds everything to {@code shards}, which finishes and publishes afterwards. */
    void into(ShardSetWriter shards) throws IOException;
  }

  /**
   * Writes the {@code shards} shards that {@code fill} adds to, each with {@code knowledge} and the
   * build parameters {@code build}, and opens them in shard order.
   */
  public static List<Snapshot> write(
      Path dir, int shards, Knowledge knowledge, Map<String, String> build, Fill fill)
      throws IOException {
    SnapshotStore[] stores = new SnapshotStore[shards];
    StagedSnapshot[] staged = new StagedSnapshot[shards];
    SnapshotWriter[] writers = new SnapshotWriter[shards];
    try {
      for (int i = 0; i < shards; i++) {
        stores[i] = SnapshotStore.open(dir.resolve("shard-" + i));
        staged[i] = stores[i].stage();
        writers[i] = staged[i].writer(0);
        writers[i].knowledge(knowledge);
      }
      try (ShardSetWriter set =
          new ShardSetWriter(writers, dir.resolve("scratch"), TextIndex.DEFAULT_STEMMING, 0)) {
        fill.into(set);
        set.finish(build, null);
      }
      for (StagedSnapshot s : staged) {
        s.publish();
      }
    } finally {
      for (StagedSnapshot s : staged) {
        if (s != null) {
          s.close();
        }
      }
    }
    List<Snapshot> open = new ArrayList<>();
    for (SnapshotStore store : stores) {
      open.add(store.openCurrent());
    }
    return open;
  }
}
