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
import dev.magpie.engine.search.SearchFilters;
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
  private Path dir;
  private Snapshot snapshot;
  private Recommender recommender;
  private Interactions log;

  public MagpieRecommenderSystem(
      BehaviourParameters parameters,
      EventLog events,
      RankingModel model,
      Diversity diversity,
      float exploration) {
    this.parameters = parameters;
    this.itemIds = events.itemIds();
    this.labels = events.labels();
    this.model = model;
    this.diversity = diversity;
    this.exploration = exploration;
  }

  @Override
  public String name() {
    return "magpie";
  }

  @Override
  public void train(Interactions train) {
    close();
    log = train;
    try {
      dir = Files.createTempDirectory("magpie-eval-recommend-");
      SnapshotStore store = SnapshotStore.open(dir);
      try (StagedSnapshot staged = store.stage()) {
        try (SnapshotWriter writer = staged.writer(0)) {
          writer.knowledge(Knowledge.EMPTY);
          for (int i = 0; i < itemIds.size(); i++) {
            List<String> l = labels.get(i);
            String category = l.isEmpty() ? "" : l.get(0);
            String title = l.isEmpty() ? itemIds.get(i) : String.join(" ", l);
            writer.add(
                new Item(
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
                    null));
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

  @Override
  public int[] recommend(int user, int k) {
    List<RecommendedItem> items =
        recommender
            .recommend(
                new RecommendRequest(
                    log.userId(user),
                    List.of(),
                    null,
                    k,
                    SearchFilters.NONE,
                    diversity,
                    exploration))
            .items();
    return items.stream().mapToInt(RecommendedItem::ordinal).toArray();
  }

  /** The engine's recommender over the snapshot of the last {@link #train} (null before). */
  public Recommender recommender() {
    return recommender;
  }

  /** Closes the snapshot and deletes its directory. */
  @Override
  public void close() {
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
