package dev.magpie.ingest.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.live.LiveUpdate;
import dev.magpie.engine.live.WriteAheadLog;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.recommend.Diversity;
import dev.magpie.engine.recommend.RecommendRequest;
import dev.magpie.engine.recommend.RecommendResult;
import dev.magpie.engine.recommend.RecommendedItem;
import dev.magpie.engine.recommend.Recommender;
import dev.magpie.engine.recommend.UserProfiles;
import dev.magpie.engine.route.ClusterDirectory;
import dev.magpie.engine.route.ShardedRecommender;
import dev.magpie.engine.search.SearchFilters;
import dev.magpie.engine.shard.Shard;
import dev.magpie.engine.shard.ShardFunction;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotLayout;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.testing.RandomItems;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.ingest.events.EventFormat;
import dev.magpie.ingest.input.CatalogReadOptions;
import dev.magpie.ingest.input.CatalogSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fold of a served shard set and its update log into the next shard set ({@link ShardSetFold})
 * builds what a single node's fold of the same catalog and the same updates builds: every item,
 * changed, added or left out alike, in the same catalog order, split by the shard function; the
 * logged events in the behaviour, so recommendations over the new shards equal the single node's
 * after its fold; and each shard records where its partition was read to. Updates a partition held
 * before its shard was built are not folded again.
 */
@Seeded
class ShardSetFoldTest {
  private static final int SHARDS = 4;
  private static final int DIMENSION = 8;
  private static final EventType[] LIVE_TYPES = {
    EventType.VIEW, EventType.FAV, EventType.CART, EventType.BUY
  };

  @TempDir Path tmp;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** The catalog's update log in memory: one list per partition, routed as the topic routes. */
  private static final class Partitions implements ShardSetFold.UpdateLog {
    final List<List<LiveUpdate>> records = new ArrayList<>();

    Partitions() {
      for (int p = 0; p < SHARDS; p++) {
        records.add(new ArrayList<>());
      }
    }

    void publish(LiveUpdate update) {
      String key = update instanceof LiveUpdate.Event e ? e.user() : update.itemId();
      records.get(ShardFunction.shardOf(key, SHARDS)).add(update);
    }

    @Override
    public long read(int partition, int partitions, long from, Consumer<LiveUpdate> into) {
      assertEquals(SHARDS, partitions);
      List<LiveUpdate> log = records.get(partition);
      for (int i = (int) from; i < log.size(); i++) {
        into.accept(log.get(i));
      }
      return log.size();
    }
  }

  private CatalogLoader loader() {
    return new CatalogLoader(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static LoadRequest request(CatalogSource source, Path store, Path events, int dimension) {
    return new LoadRequest(
            List.of(source),
            null,
            new CatalogReadOptions("USD", true, dimension, null, false, 1),
            store,
            3,
            0.5,
            null,
            5,
            Progress.Mode.NONE)
        .withEvents(List.of(CatalogSource.file(events)), EventFormat.GENERIC);
  }

  private static CatalogSource folded(String name) {
    return CatalogSource.stream(
        name,
        -1,
        () -> {
          throw new IOException("folded, not read");
        });
  }

  @Test
  void foldingTheShardsBuildsWhatFoldingOneNodeBuilds(Random random) throws Exception {
    List<Item> items = RandomItems.items(random, 400, DIMENSION);
    Path catalog = tmp.resolve("catalog.jsonl");
    try (OutputStream out = Files.newOutputStream(catalog)) {
      CatalogLoaderTest.writeJsonl(items, out);
    }
    StringBuilder csv = new StringBuilder("user_id,item_id,event,timestamp\n");
    String[] types = {"view", "view", "view", "cart", "buy"};
    for (int e = 0; e < 3_000; e++) {
      csv.append("u")
          .append(random.nextInt(120))
          .append(',')
          .append(items.get(random.nextInt(items.size())).externalId())
          .append(',')
          .append(types[random.nextInt(types.length)])
          .append(',')
          .append(1_000_000 + e)
          .append('\n');
    }
    Path events = tmp.resolve("events.csv");
    Files.writeString(events, csv);

    // Before the shards are built, each partition already holds updates the catalog supersedes.
    Partitions log = new Partitions();
    for (int i = 0; i < 40; i++) {
      log.publish(
          new LiveUpdate.ItemChange(
              items.get(random.nextInt(items.size())).externalId(),
              1,
              "",
              0,
              LiveUpdate.Availability.WITHDRAWN));
    }
    Map<Integer, Long> builtAt =
        Map.of(
            0,
            (long) log.records.get(0).size(),
            1,
            (long) log.records.get(1).size(),
            2,
            (long) log.records.get(2).size(),
            3,
            (long) log.records.get(3).size());
    Path single = tmp.resolve("single");
    Path cluster = tmp.resolve("cluster");
    loader().load(request(CatalogSource.file(catalog), single, events, 0));
    loader()
        .loadShards(
            request(CatalogSource.file(catalog), cluster, events, 0)
                .withShards(ShardPlan.all(SHARDS)),
            builtAt);

    // The live updates, logged by the single node and published to the topic alike.
    List<LiveUpdate> updates = updates(random, items);
    Path wal = single.resolve(SnapshotLayout.WAL);
    try (WriteAheadLog w = WriteAheadLog.open(wal)) {
      for (LiveUpdate u : updates) {
        w.append(u);
        log.publish(u);
      }
      w.sync();
    }

    try (BaseFold fold = new BaseFold(SnapshotStore.resolveVersionDir(single), wal)) {
      loader().load(request(folded("base:single"), single, events, fold.vectorDimension()), fold);
    }
    try (ShardSetFold fold = new ShardSetFold(cluster, log)) {
      assertEquals(builtAt, fold.readFrom());
      assertEquals(updates.size(), fold.records(), "the records before each build are not read");
      List<LoadResult> results =
          loader()
              .loadShards(
                  request(folded("base:cluster"), cluster, events, fold.vectorDimension())
                      .withShards(ShardPlan.all(SHARDS)),
                  fold.foldedOffsets(),
                  fold);
      for (int p = 0; p < SHARDS; p++) {
        assertEquals(
            Integer.toString(log.records.get(p).size()),
            results.get(p).manifest().build().get(Shard.UPDATES_OFFSET_PARAMETER),
            "shard " + p + " records where its partition was read to");
      }
    }

    try (Snapshot one = SnapshotStore.open(single).openCurrent()) {
      List<Snapshot> shards = ClusterDirectory.open(cluster);
      try {
        assertEquals(2, one.manifest().version());
        sameItems(one, shards);
        sameRecommendations(random, one, shards);
      } finally {
        for (Snapshot s : shards) {
          s.close();
        }
      }
    }
  }

  /**
   * Price and stock changes, withdrawals and returns, new items, events of old and new shoppers.
   */
  private static List<LiveUpdate> updates(Random random, List<Item> items) {
    List<LiveUpdate> out = new ArrayList<>();
    List<String> ids = new ArrayList<>(items.stream().map(Item::externalId).toList());
    for (int i = 0; i < 600; i++) {
      String id = ids.get(random.nextInt(ids.size()));
      switch (random.nextInt(10)) {
        case 0 ->
            out.add(
                new LiveUpdate.ItemChange(
                    id,
                    -1,
                    "",
                    LiveUpdate.ItemChange.KEEP_STOCK,
                    random.nextInt(3) == 0
                        ? LiveUpdate.Availability.AVAILABLE
                        : LiveUpdate.Availability.WITHDRAWN));
        case 1 -> {
          String added = "live-" + i;
          Item template = items.get(random.nextInt(items.size()));
          out.add(
              new LiveUpdate.NewItem(
                  new Item(
                      added,
                      "Fresh " + template.title(),
                      "",
                      template.brand(),
                      template.categoryPath(),
                      1_000 + random.nextInt(9_000),
                      "USD",
                      random.nextInt(9),
                      Float.NaN,
                      Map.of(),
                      template.vector())));
          ids.add(added);
        }
        case 2, 3 ->
            out.add(
                new LiveUpdate.ItemChange(
                    id,
                    random.nextInt(20_000),
                    "",
                    random.nextInt(30),
                    LiveUpdate.Availability.UNCHANGED));
        default ->
            out.add(
                new LiveUpdate.Event(
                    random.nextInt(4) == 0
                        ? "new-" + random.nextInt(30)
                        : "u" + random.nextInt(120),
                    id,
                    LIVE_TYPES[random.nextInt(LIVE_TYPES.length)],
                    2_000_000 + i));
      }
    }
    return out;
  }

  private static void sameItems(Snapshot one, List<Snapshot> shards) {
    ItemStore all = one.items();
    int total = 0;
    for (Snapshot s : shards) {
      total += s.items().size();
    }
    assertEquals(all.size(), total, "items after the fold");
    for (int i = 0; i < all.size(); i++) {
      String id = all.externalId(i);
      ItemStore shard = shards.get(ShardFunction.shardOf(id, SHARDS)).items();
      int o = shard.ordinalOf(id);
      assertTrue(o >= 0, id + " on its shard");
      assertEquals(i, shard.catalogPosition(o), id + "'s place in the catalog");
      Item expected = all.item(i);
      Item actual = shard.item(o);
      assertEquals(expected.title(), actual.title(), id);
      assertEquals(expected.priceMinor(), actual.priceMinor(), id);
      assertEquals(expected.stock(), actual.stock(), id);
      assertArrayEquals(expected.vector(), actual.vector(), id);
    }
  }

  private static void sameRecommendations(Random random, Snapshot one, List<Snapshot> shards) {
    RankingModel model = RankingModel.RECOMMEND_DEFAULT;
    Recommender oracle =
        new Recommender(one, new UserProfiles(one::items, one.userHistories()), model);
    ShardedRecommender sharded = new ShardedRecommender(shards, model);
    int nonEmpty = 0;
    for (int r = 0; r < 150; r++) {
      String user = r % 3 == 0 ? "new-" + random.nextInt(30) : "u" + random.nextInt(120);
      List<String> context =
          r % 4 == 0
              ? List.of(one.items().externalId(random.nextInt(one.items().size())))
              : List.of();
      RecommendRequest request =
          new RecommendRequest(
              user,
              context,
              null,
              1 + random.nextInt(20),
              SearchFilters.NONE,
              Diversity.DEFAULT,
              0);
      RecommendResult expected = oracle.recommend(request);
      RecommendResult actual = sharded.recommend(request);
      assertEquals(ids(expected), ids(actual), request.toString());
      for (int i = 0; i < expected.items().size(); i++) {
        RecommendedItem e = expected.items().get(i);
        RecommendedItem a = actual.items().get(i);
        assertNotNull(a);
        assertEquals(e.score(), a.score(), 1e-5f, request + ": score of " + e.id());
        assertEquals(e.reasons(), a.reasons(), request + ": reasons of " + e.id());
      }
      nonEmpty += expected.items().isEmpty() ? 0 : 1;
    }
    assertTrue(nonEmpty > 100, "recommendations made: " + nonEmpty);
  }

  private static List<String> ids(RecommendResult result) {
    return result.items().stream().map(RecommendedItem::id).toList();
  }

  @Test
  void aLogThatCannotBeReadFoldsNothing(Random random) throws Exception {
    Path catalog = tmp.resolve("catalog.jsonl");
    try (OutputStream out = Files.newOutputStream(catalog)) {
      CatalogLoaderTest.writeJsonl(RandomItems.items(random, 30, 0), out);
    }
    Path events = tmp.resolve("events.csv");
    Files.writeString(events, "user_id,item_id,event,timestamp\n");
    Path cluster = tmp.resolve("cluster");
    loader()
        .loadShards(
            request(CatalogSource.file(catalog), cluster, events, 0).withShards(ShardPlan.all(2)));
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                new ShardSetFold(
                    cluster,
                    (partition, partitions, from, into) -> {
                      throw new IOException("partition " + partition + " deleted by retention");
                    }));
    assertEquals("partition 0 deleted by retention", e.getMessage());
  }
}
