package dev.magpie.ingest.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.route.ClusterDirectory;
import dev.magpie.engine.shard.Shard;
import dev.magpie.engine.shard.ShardFunction;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotLayout;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.testing.RandomItems;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.text.CatalogStatistics;
import dev.magpie.ingest.input.CatalogReadOptions;
import dev.magpie.ingest.input.CatalogSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code magpie load --shards S} and {@code --shard I/S}: every item lands on the shard the shard
 * function names, once; the shards record the catalog and one build; and a builder of one shard
 * writes the very files the all-shards load writes for it (statistics, positions, dictionaries,
 * vectors' scale), so that shards built on different machines belong together.
 */
@Seeded
class ShardedLoadTest {
  @TempDir Path tmp;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private List<LoadResult> load(Path out, Path catalog, ShardPlan plan)
      throws IOException, LoadRefusedException {
    return new CatalogLoader(new PrintStream(err, true, StandardCharsets.UTF_8))
        .loadShards(
            new LoadRequest(
                    List.of(CatalogSource.file(catalog)),
                    null,
                    CatalogReadOptions.DEFAULTS,
                    out,
                    3,
                    0.5,
                    null,
                    5,
                    Progress.Mode.NONE)
                .withShards(plan));
  }

  @Test
  void oneShardAtATimeWritesWhatTheWholeLoadWrites(Random random) throws Exception {
    List<Item> items = RandomItems.items(random, 400, 8);
    Path catalog = tmp.resolve("catalog.jsonl");
    try (OutputStream out = Files.newOutputStream(catalog)) {
      CatalogLoaderTest.writeJsonl(items, out);
    }
    List<LoadResult> all = load(tmp.resolve("all"), catalog, ShardPlan.all(4));
    assertEquals(4, all.size());
    Set<String> seen = new HashSet<>();
    List<Snapshot> shards = ClusterDirectory.open(tmp.resolve("all"));
    try {
      for (int s = 0; s < 4; s++) {
        Snapshot shard = shards.get(s);
        Shard recorded = Shard.of(shard.manifest().build());
        assertEquals(new Shard(s, 4, recorded.build(), items.size()), recorded);
        for (int o = 0; o < shard.items().size(); o++) {
          String id = shard.items().externalId(o);
          assertEquals(s, ShardFunction.shardOf(id, 4), id);
          assertTrue(seen.add(id), id + " on two shards");
          assertEquals(id, items.get((int) shard.items().catalogPosition(o)).externalId());
        }
      }
    } finally {
      for (Snapshot s : shards) {
        s.close();
      }
    }
    assertEquals(items.size(), seen.size());

    int one = random.nextInt(4);
    List<LoadResult> single = load(tmp.resolve("one"), catalog, new ShardPlan(4, one));
    assertEquals(1, single.size());
    Path alone = single.getFirst().versionDir();
    Path together = all.get(one).versionDir();
    for (String file :
        List.of(
            CatalogStatistics.PATH,
            SnapshotLayout.POSITIONS,
            SnapshotLayout.IDS,
            SnapshotLayout.BRANDS,
            SnapshotLayout.CATEGORIES,
            SnapshotLayout.ATTRIBUTES,
            SnapshotLayout.VECTORS,
            "vectors/codes.bin")) {
      assertArrayEquals(
          Files.readAllBytes(together.resolve(file)),
          Files.readAllBytes(alone.resolve(file)),
          file + " of shard " + one);
    }
    assertEquals(
        all.get(one).manifest().build().get(Shard.BUILD_PARAMETER),
        single.getFirst().manifest().build().get(Shard.BUILD_PARAMETER));
    assertTrue(SnapshotStore.isStore(tmp.resolve("one")));
  }

  @Test
  void eachShardRecordsWhereItsPartitionOfTheUpdateLogBegins(Random random) throws Exception {
    Path catalog = tmp.resolve("catalog.jsonl");
    try (OutputStream out = Files.newOutputStream(catalog)) {
      CatalogLoaderTest.writeJsonl(RandomItems.items(random, 50, 0), out);
    }
    Map<Integer, Long> offsets = Map.of(0, 5L, 1, 7L, 2, 0L, 3, 9L);
    List<LoadResult> results =
        new CatalogLoader(new PrintStream(err, true, StandardCharsets.UTF_8))
            .loadShards(
                new LoadRequest(
                        List.of(CatalogSource.file(catalog)),
                        null,
                        CatalogReadOptions.DEFAULTS,
                        tmp.resolve("out"),
                        3,
                        0.5,
                        null,
                        5,
                        Progress.Mode.NONE)
                    .withShards(ShardPlan.all(4)),
                offsets);
    for (int s = 0; s < 4; s++) {
      assertEquals(
          Long.toString(offsets.get(s)),
          results.get(s).manifest().build().get(Shard.UPDATES_OFFSET_PARAMETER),
          "shard " + s);
    }
  }

  @Test
  void aShardCountThatIsNoPowerOfTwoIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ShardPlan.all(3));
    assertTrue(e.getMessage().contains("power of two"), e.getMessage());
  }
}
