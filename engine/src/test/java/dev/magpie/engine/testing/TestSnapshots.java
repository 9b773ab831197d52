package dev.magpie.engine.testing;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.snapshot.ShardStores;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.snapshot.SnapshotWriter;
import dev.magpie.engine.snapshot.StagedSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Builds and opens snapshots from item lists, for tests. */
public final class TestSnapshots {
  private TestSnapshots() {}

  /**
   * Publishes {@code items} (ordinals in list order) into a new store at {@code dir} and opens it.
   */
  public static Snapshot build(Path dir, List<Item> items) throws IOException {
    return build(dir, items, dev.magpie.engine.knowledge.Knowledge.EMPTY);
  }

  /** As {@link #build(Path, List)}, with product knowledge. */
  public static Snapshot build(
      Path dir, List<Item> items, dev.magpie.engine.knowledge.Knowledge knowledge)
      throws IOException {
    return build(dir, items, knowledge, Map.of("source", "test"));
  }

  /**
   * As {@link #build(Path, List, dev.magpie.engine.knowledge.Knowledge)}, with these build
   * parameters.
   */
  public static Snapshot build(
      Path dir,
      List<Item> items,
      dev.magpie.engine.knowledge.Knowledge knowledge,
      Map<String, String> build)
      throws IOException {
    return build(dir, items, knowledge, build, writer -> {});
  }

  /** What a test adds to a snapshot beyond its items and knowledge. */
  private interface Extra {
    void addTo(SnapshotWriter writer);
  }

  private static Snapshot build(
      Path dir,
      List<Item> items,
      dev.magpie.engine.knowledge.Knowledge knowledge,
      Map<String, String> build,
      Extra extra)
      throws IOException {
    SnapshotStore store = SnapshotStore.open(dir);
    try (StagedSnapshot staged = store.stage()) {
      try (SnapshotWriter writer = staged.writer(0)) {
        writer.knowledge(knowledge);
        for (Item item : items) {
          writer.add(item);
        }
        extra.addTo(writer);
        writer.finish(build);
      }
      staged.publish();
    }
    return store.openCurrent();
  }

  /**
   * Publishes {@code items} as the {@code shards} shards of one catalog, each in its own store
   * {@code dir/shard-I}, with {@code knowledge} on each, and opens them in shard order.
   */
  public static List<Snapshot> buildShards(
      Path dir, List<Item> items, int shards, dev.magpie.engine.knowledge.Knowledge knowledge)
      throws IOException {
    return buildShards(dir, items, shards, knowledge, null);
  }

  /**
   * As {@link #buildShards(Path, List, int, dev.magpie.engine.knowledge.Knowledge)}, with the
   * behaviour built from {@code log} (over the items' catalog positions; null for none) split over
   * the shards as a sharded load splits it.
   */
  public static List<Snapshot> buildShards(
      Path dir,
      List<Item> items,
      int shards,
      dev.magpie.engine.knowledge.Knowledge knowledge,
      dev.magpie.engine.behaviour.Interactions log)
      throws IOException {
    return ShardStores.write(
        dir,
        shards,
        knowledge,
        Map.of("source", "test"),
        set -> {
          for (Item item : items) {
            set.add(item);
          }
          set.behaviour(
              log == null
                  ? null
                  : new dev.magpie.engine.behaviour.BehaviourModelBuilder(
                          dev.magpie.engine.behaviour.BehaviourParameters.DEFAULTS)
                      .build(log),
              log,
              dev.magpie.engine.behaviour.UserHistories.DEFAULT_LIMIT,
              dev.magpie.engine.recommend.Recommender.EXPLORATION_MAX_USERS);
        });
  }

  /**
   * Publishes {@code items} with {@code knowledge}, and the behaviour model (default parameters)
   * and user histories built from {@code log} (over the items' ordinals), into a new store at
   * {@code dir} and opens it.
   */
  public static Snapshot build(
      Path dir,
      List<Item> items,
      dev.magpie.engine.knowledge.Knowledge knowledge,
      dev.magpie.engine.behaviour.Interactions log)
      throws IOException {
    return build(
        dir,
        items,
        knowledge,
        Map.of("source", "test"),
        writer -> {
          writer.behaviour(
              new dev.magpie.engine.behaviour.BehaviourModelBuilder(
                      dev.magpie.engine.behaviour.BehaviourParameters.DEFAULTS)
                  .build(log));
          writer.userHistories(log, dev.magpie.engine.behaviour.UserHistories.DEFAULT_LIMIT);
        });
  }

  /** An item with the given text fields and numbers, no vector. */
  public static Item item(
      String id,
      String title,
      String brand,
      String category,
      long priceMinor,
      int stock,
      Map<String, String> attributes) {
    return new Item(
        id,
        title,
        "",
        brand,
        category,
        priceMinor,
        priceMinor < 0 ? "" : "USD",
        stock,
        Float.NaN,
        attributes,
        null);
  }
}
