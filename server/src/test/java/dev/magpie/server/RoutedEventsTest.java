package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.api.v1.Event;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.RecommendRequest;
import dev.magpie.api.v1.RecommendResponse;
import dev.magpie.api.v1.Recommendation;
import dev.magpie.api.v1.RecordEventsRequest;
import dev.magpie.api.v1.RecordEventsResponse;
import dev.magpie.cluster.log.UpdateTopic;
import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.shard.ShardFunction;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.ShoppingCatalog;
import dev.magpie.engine.testing.TestSnapshots;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shoppers' events through a router on a real Kafka broker reach their recommendations: events
 * recorded through the router (to each shopper's home shard, items of every shard among them), then
 * Recommend reading after their positions, answer as one server that recorded the same events
 * through its write-ahead log.
 */
@Seeded
class RoutedEventsTest {
  @TempDir Path tmp;

  @Test
  void recommendationsReadAfterRoutedEventsEqualOneServers(Random random) throws Exception {
    int shards = 2;
    List<Item> items = ShoppingCatalog.items(random, 400);
    Interactions log = ShoppingCatalog.log(random, items);
    Snapshot single =
        TestSnapshots.build(tmp.resolve("single"), items, ShoppingCatalog.KNOWLEDGE, log);
    List<Snapshot> parts =
        TestSnapshots.buildShards(
            tmp.resolve("cluster"), items, shards, ShoppingCatalog.KNOWLEDGE, log);
    List<Loopback> servers = new ArrayList<>();
    try (TestBroker kafka = TestBroker.start();
        Loopback one =
            Loopback.start(single, ServerConfig.builder().wal(tmp.resolve("wal")).build())) {
      new UpdateTopic("catalog", shards).prepare(kafka.bootstrap(), (short) 1);
      ServerConfig.UpdateLog updates = new ServerConfig.UpdateLog(kafka.bootstrap(), "catalog");
      List<List<RouterServer.Replica>> replicas = new ArrayList<>();
      for (Snapshot part : parts) {
        Loopback l = Loopback.start(part, ServerConfig.builder().updates(updates).build());
        servers.add(l);
        replicas.add(List.of(new RouterServer.Replica("127.0.0.1", l.server().port())));
      }
      try (RouterServer router =
          RouterServer.start(
              replicas,
              ServerConfig.builder().host("127.0.0.1").port(0).updates(updates).build())) {
        ManagedChannel channel =
            NettyChannelBuilder.forAddress("127.0.0.1", router.port()).usePlaintext().build();
        try {
          MagpieGrpc.MagpieBlockingStub routed =
              MagpieGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
          MagpieGrpc.MagpieBlockingStub direct =
              MagpieGrpc.newBlockingStub(one.channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
          List<String> shoppers = List.of("u3", "u17", "newcomer-a", "newcomer-b", "u88");
          List<List<String>> before = new ArrayList<>();
          for (String shopper : shoppers) {
            before.add(
                ids(
                    routed.recommend(
                        RecommendRequest.newBuilder().setUser(shopper).setK(10).build())));
          }
          List<List<String>> after = new ArrayList<>();
          for (int round = 0; round < 3; round++) {
            RecordEventsRequest.Builder events = RecordEventsRequest.newBuilder();
            for (int i = 0; i < 12; i++) {
              events.addEvents(
                  Event.newBuilder()
                      .setUser(shoppers.get(random.nextInt(shoppers.size())))
                      .setItemId(items.get(random.nextInt(items.size())).externalId())
                      .setType(random.nextInt(4) == 0 ? "cart" : "view")
                      .setTimeEpochSeconds(1_800_000_000L + round * 100 + i));
            }
            RecordEventsResponse ack = routed.recordEvents(events.build());
            assertEquals(12, ack.getRecorded());
            for (int p = 0; p < ack.getPositionsCount(); p++) {
              int partition = ack.getPositions(p).getPartition();
              assertTrue(
                  events.getEventsList().stream()
                      .anyMatch(e -> ShardFunction.shardOf(e.getUser(), shards) == partition),
                  "events go to their shopper's home shard: " + ack);
            }
            direct.recordEvents(events.build());
            for (String shopper : shoppers) {
              RecommendRequest ask =
                  RecommendRequest.newBuilder()
                      .setUser(shopper)
                      .setK(10)
                      .addAllReadAfter(ack.getPositionsList())
                      .build();
              RecommendResponse want = direct.recommend(ask.toBuilder().clearReadAfter().build());
              RecommendResponse got = routed.recommend(ask);
              assertEquals(ids(want), ids(got), "round " + round + ", " + shopper);
              if (round == 2) {
                after.add(ids(got));
              }
              for (int i = 0; i < want.getItemsCount(); i++) {
                assertEquals(
                    want.getItems(i).getScore(), got.getItems(i).getScore(), 1e-5, shopper);
                assertEquals(
                    want.getItems(i).getReasonsList(), got.getItems(i).getReasonsList(), shopper);
              }
            }
          }
          assertTrue(!before.equals(after), "the events changed what the shoppers are shown");
        } finally {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      }
    } finally {
      for (Loopback l : servers) {
        l.close();
      }
    }
  }

  private static List<String> ids(RecommendResponse r) {
    return r.getItemsList().stream().map(Recommendation::getItem).map(i -> i.getId()).toList();
  }
}
