package dev.magpie.learn.recommend;

import dev.magpie.engine.behaviour.BehaviourModelBuilder;
import dev.magpie.engine.behaviour.BehaviourParameters;
import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.recommend.Diversity;
import dev.magpie.engine.recommend.RecommendRequest;
import dev.magpie.engine.recommend.RecommendedItem;
import dev.magpie.engine.recommend.Recommender;
import dev.magpie.engine.recommend.UserProfiles;
import dev.magpie.engine.route.ShardedRecommender;
import dev.magpie.engine.search.SearchFilters;
import dev.magpie.engine.snapshot.ShardStores;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.snapshot.SnapshotWriter;
import dev.magpie.engine.snapshot.StagedSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap;

/**
 * Magpie as a caller sees it: the training log and the items are written to a real snapshot (in a
 * temporary directory, deleted on close), which is opened, and every user is asked through the
 * engine's {@link Recommender} with its ranking model, diversity and exploration share. Item labels
 * become category paths (the first label), so category affinities and caps work as on a catalog.
 */
public final class MagpieRecommenderSystem implements RecommenderSystem, AutoCloseable {
  /** Stored history per user: all of it, so that nothing the user has is recommended again. */
  private static final int HISTORY = 1_000_000;

  private final BehaviourParameters parameters;
  private final List<String> itemIds;
  private final List<List<String>> labels;
  private final RankingModel model;
  private final Diversity diversity;
  private final float exploration;
  private final int shards;
  private final ObjectIntHashMap<String> indexOf = new ObjectIntHashMap<>();
  private Path dir;
  private Snapshot snapshot;
  private Recommender recommender;
  private List<Snapshot> parts = List.of();
  private ShardedRecommender sharded;
  private Interactions log;

  /** Magpie on one node. */
  public MagpieRecommenderSystem(
      BehaviourParameters parameters,
      EventLog events,
      RankingModel model,
      Diversity diversity,
      float exploration) {
    this(parameters, events, model, diversity, exploration, 0);
  }

  /**
   * Magpie on one node ({@code shards} 0), or over {@code shards} shards of the same snapshot,
   * loaded as {@code magpie load --shards} splits it and asked as the router asks ({@link
   * ShardedRecommender}).
   */
  public MagpieRecommenderSystem(
      BehaviourParameters parameters,
      EventLog events,
      RankingModel model,
      Diversity diversity,
      float exploration,
      int shards) {
    this.shards = shards;
    this.parameters = parameters;
    this.itemIds = events.itemIds();
    this.labels = events.labels();
    this.model = model;
    this.diversity = diversity;
    this.exploration = exploration;
  }

  @Override
  public String name() {
    return shards == 0 ? "magpie" : "magpie-" + shards + "-shards";
  }

  private Item item(int i) {
    List<String> l = labels.get(i);
    String category = l.isEmpty() ? "" : l.get(0);
    String title = l.isEmpty() ? itemIds.get(i) : String.join(" ", l);
    return new Item(
        itemIds.get(i),
        title,
        "",
        "",
        category,
        Item.UNKNOWN_PRICE,
        "",
        Item.UNKNOWN_STOCK,
        Float.NaN,
        Map.of(),
        null);
  }

  @Override
  public void train(Interactions train) {
    close();
    log = train;
    try {
      dir = Files.createTempDirectory("magpie-eval-recommend-");
      if (shards > 0) {
        trainShards(train);
        return;
      }
      SnapshotStore store = SnapshotStore.open(dir);
      try (StagedSnapshot staged = store.stage()) {
        try (SnapshotWriter writer = staged.writer(0)) {
          writer.knowledge(Knowledge.EMPTY);
          for (int i = 0; i < itemIds.size(); i++) {
            writer.add(item(i));
          }
          writer.behaviour(new BehaviourModelBuilder(parameters).build(train));
          writer.userHistories(train, HISTORY);
          writer.finish(Map.of("source", "eval recommend"));
        }
        staged.publish();
      }
      snapshot = store.openCurrent();
    } catch (IOException e) {
      throw new UncheckedIOException("building the evaluation snapshot", e);
    }
    recommender =
        new Recommender(
            snapshot, new UserProfiles(snapshot.items(), snapshot.userHistories()), model);
  }

  /** Writes the training log and the items as {@link #shards} shards and opens them. */
  private void trainShards(Interactions train) throws IOException {
    parts =
        ShardStores.write(
            dir,
            shards,
            Knowledge.EMPTY,
            Map.of("source", "eval recommend"),
            set -> {
              for (int i = 0; i < itemIds.size(); i++) {
                set.add(item(i));
                indexOf.put(itemIds.get(i), i);
              }
              set.behaviour(
                  new BehaviourModelBuilder(parameters).build(train),
                  train,
                  HISTORY,
                  Recommender.EXPLORATION_MAX_USERS);
            });
    sharded = new ShardedRecommender(parts, model);
  }

  @Override
  public int[] recommend(int user, int k) {
    RecommendRequest request =
        new RecommendRequest(
            log.userId(user), List.of(), null, k, SearchFilters.NONE, diversity, exploration);
    if (sharded != null) {
      return sharded.recommend(request).items().stream()
          .mapToInt(r -> indexOf.get(r.id()))
          .toArray();
    }
    List<RecommendedItem> items = recommender.recommend(request).items();
    return items.stream().mapToInt(RecommendedItem::ordinal).toArray();
  }

  /** The engine's recommender over the snapshot of the last {@link #train} (null before). */
  public Recommender recommender() {
    return recommender;
  }

  /** Closes the snapshot and deletes its directory. */
  @Override
  public void close() {
    for (Snapshot part : parts) {
      part.close();
    }
    parts = List.of();
    sharded = null;
    if (snapshot != null) {
      snapshot.close();
      snapshot = null;
    }
    if (dir != null) {
      try {
        SnapshotStore.deleteTree(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("deleting " + dir, e);
      }
      dir = null;
    }
  }
}
