package dev.magpie.cli.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.cli.MagpieMain;
import dev.magpie.cluster.log.UpdatePublisher;
import dev.magpie.cluster.log.UpdateTopic;
import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.live.LiveUpdate;
import dev.magpie.engine.route.ClusterDirectory;
import dev.magpie.engine.shard.Shard;
import dev.magpie.engine.shard.ShardFunction;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code magpie load --base CLUSTER_DIR --updates-kafka}: a served shard set and the updates its
 * topic logged since the load, on a real broker in process, folded into the next shard set; a
 * record that does not decode is reported with its offset and skipped; each new shard records where
 * its partition was read to, so its replicas replay only what came after.
 */
class ShardSetFoldCommandTest {
  private static final String TOPIC = "fold-updates";

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = MagpieMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void theShardsAndTheirTopicAreFoldedIntoTheNextShardSet() throws Exception {
    KafkaClusterTestKit kafka =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumControllerNodes(1)
                    .setNumBrokerNodes(1)
                    .build())
            .build();
    try {
      kafka.format();
      kafka.startup();
      kafka.waitForReadyBrokers();
      String bootstrap = kafka.bootstrapServers();
      Path cluster = dir.resolve("cluster");
      String[] topic = {"--updates-kafka", bootstrap, "--updates-topic", TOPIC};
      assertEquals(
          0,
          run(
              "load",
              "--shards",
              "2",
              "--out",
              cluster.toString(),
              "--no-embed",
              "--show",
              "0",
              topic[0],
              topic[1],
              topic[2],
              topic[3]),
          err.toString());

      String changed;
      String withdrawn;
      String category;
      int items;
      try (Snapshot zero = ClusterDirectory.open(cluster).getFirst()) {
        ItemStore s0 = zero.items();
        changed = s0.externalId(0);
        withdrawn = s0.externalId(1);
        category = s0.categoryPath(0);
        items = (int) Shard.of(zero.manifest().build()).catalogItems();
      }
      assertEquals(
          2,
          run("load", "--base", cluster.toString(), "--show", "0"),
          "a cluster's updates are on Kafka");
      assertTrue(err.toString().contains("give --updates-kafka"), err.toString());

      UpdateTopic updates = new UpdateTopic(TOPIC, 2);
      List<LiveUpdate> logged =
          List.of(
              new LiveUpdate.ItemChange(changed, 4_321, "", 17, LiveUpdate.Availability.UNCHANGED),
              new LiveUpdate.ItemChange(
                  withdrawn,
                  -1,
                  "",
                  LiveUpdate.ItemChange.KEEP_STOCK,
                  LiveUpdate.Availability.WITHDRAWN),
              new LiveUpdate.NewItem(
                  new Item(
                      "live-lantern",
                      "Heliotrope lantern",
                      "",
                      "Lumen",
                      category,
                      4_200,
                      "USD",
                      3,
                      Float.NaN,
                      Map.of(),
                      null)),
              new LiveUpdate.Event("fold-shopper", changed, EventType.BUY, 1_800_000_000L),
              new LiveUpdate.Event("fold-shopper", "live-lantern", EventType.CART, 1_800_000_100L));
      try (UpdatePublisher publisher = new UpdatePublisher(bootstrap, updates, "test")) {
        publisher.publish(logged).get(30, TimeUnit.SECONDS);
      }
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      try (KafkaProducer<String, byte[]> raw =
          new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
        raw.send(new ProducerRecord<>(TOPIC, 1, "poison", new byte[] {1, 99, 0, 1})).get();
      }
      Map<Integer, Long> ends = updates.check(bootstrap);

      out.getBuffer().setLength(0);
      err.getBuffer().setLength(0);
      assertEquals(
          0,
          run("load", "--base", cluster.toString(), topic[0], topic[1], topic[2], topic[3]),
          err.toString());
      assertTrue(
          out.toString()
              .contains(
                  "Folded 5 update records of topic "
                      + TOPIC
                      + " (1 skipped as unreadable; 1 items added, 1 withdrawn items left out)"),
          out.toString());
      assertTrue(
          err.toString()
              .contains(
                  "skipped the record at " + TOPIC + " partition 1 offset " + (ends.get(1) - 1)),
          err.toString());

      List<Snapshot> shards = ClusterDirectory.open(cluster);
      try {
        int total = 0;
        for (int s = 0; s < 2; s++) {
          Snapshot shard = shards.get(s);
          assertEquals(2, shard.manifest().version(), "shard " + s + "'s next version");
          assertEquals(
              Long.toString(ends.get(s)),
              shard.manifest().build().get(Shard.UPDATES_OFFSET_PARAMETER),
              "shard " + s + " replays from where its partition was folded to");
          total += shard.items().size();
        }
        assertEquals(items, total, "one item withdrawn, one added");
        ItemStore home = shards.get(ShardFunction.shardOf(changed, 2)).items();
        int at = home.ordinalOf(changed);
        assertEquals(4_321, home.priceMinor(at));
        assertEquals(17, home.stock(at));
        assertEquals(
            -1, shards.get(ShardFunction.shardOf(withdrawn, 2)).items().ordinalOf(withdrawn));
        ItemStore lantern = shards.get(ShardFunction.shardOf("live-lantern", 2)).items();
        assertEquals("Heliotrope lantern", lantern.title(lantern.ordinalOf("live-lantern")));
        assertTrue(
            shards
                    .get(ShardFunction.shardOf("fold-shopper", 2))
                    .userHistories()
                    .ordinalOf("fold-shopper")
                >= 0,
            "the logged shopper's history is on their home shard");
      } finally {
        for (Snapshot s : shards) {
          s.close();
        }
      }
    } finally {
      kafka.close();
    }
  }
}
