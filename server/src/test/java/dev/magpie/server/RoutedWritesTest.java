package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.api.v1.DescribeRequest;
import dev.magpie.api.v1.Event;
import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.GetItemsResponse;
import dev.magpie.api.v1.ItemUpdate;
import dev.magpie.api.v1.LogPosition;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.NewItem;
import dev.magpie.api.v1.RecordEventsRequest;
import dev.magpie.api.v1.RecordEventsResponse;
import dev.magpie.api.v1.SearchHit;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.SearchResponse;
import dev.magpie.api.v1.ShardGrpc;
import dev.magpie.api.v1.UpdateItemsRequest;
import dev.magpie.api.v1.UpdateItemsResponse;
import dev.magpie.cluster.log.UpdateTopic;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.shard.ShardFunction;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.TestSnapshots;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes through the router on a real Kafka broker: UpdateItems is checked by the shards that hold
 * the items, published, and acknowledged with a position per partition; a later call that reads
 * after those positions sees the writes, the same answers as one server that took the same writes
 * through its write-ahead log; a call with one bad update writes nothing; both replicas of a shard
 * end up with the same items.
 */
@Seeded
class RoutedWritesTest {
  private static final String[] WORDS = {
    "lamp", "desk", "oak", "shelf", "chair", "brass", "linen", "rug", "mirror", "stool"
  };

  @TempDir Path tmp;

  private static List<Item> catalog(Random random, int count) {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder title = new StringBuilder();
      for (int w = 1 + random.nextInt(3); w > 0; w--) {
        title.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
      }
      items.add(
          TestSnapshots.item(
              "w-" + i,
              title.toString().strip(),
              random.nextBoolean() ? "Homely" : "Woodwise",
              "Home",
              500 + random.nextInt(20_000),
              1 + random.nextInt(9),
              Map.of()));
    }
    return items;
  }

  private static ManagedChannel channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  @Test
  void writesThroughTheRouterAreAcknowledgedByTheLogAndReadAfterTheirPositions(Random random)
      throws Exception {
    int shards = 2;
    List<Item> items = catalog(random, 300);
    Snapshot single = TestSnapshots.build(tmp.resolve("single"), items);
    List<Snapshot> parts =
        TestSnapshots.buildShards(tmp.resolve("cluster"), items, shards, Knowledge.EMPTY);
    Snapshot secondReplica =
        SnapshotStore.open(tmp.resolve("cluster").resolve("shard-0")).openCurrent();
    List<Loopback> servers = new ArrayList<>();
    try (TestBroker kafka = TestBroker.start();
        Loopback one =
            Loopback.start(single, ServerConfig.builder().wal(tmp.resolve("wal")).build())) {
      UpdateTopic topic = new UpdateTopic("catalog", shards);
      topic.prepare(kafka.bootstrap(), (short) 1);
      ServerConfig.UpdateLog log = new ServerConfig.UpdateLog(kafka.bootstrap(), "catalog");
      List<List<RouterServer.Replica>> replicas = new ArrayList<>();
      for (int s = 0; s < shards; s++) {
        Loopback l = Loopback.start(parts.get(s), ServerConfig.builder().updates(log).build());
        servers.add(l);
        replicas.add(
            new ArrayList<>(List.of(new RouterServer.Replica("127.0.0.1", l.server().port()))));
      }
      Loopback spare = Loopback.start(secondReplica, ServerConfig.builder().updates(log).build());
      servers.add(spare);
      replicas.get(0).add(new RouterServer.Replica("127.0.0.1", spare.server().port()));
      try (RouterServer router =
              RouterServer.start(
                  replicas, ServerConfig.builder().host("127.0.0.1").port(0).updates(log).build());
          RouterServer readOnly =
              RouterServer.start(
                  replicas, ServerConfig.builder().host("127.0.0.1").port(0).build())) {
        ManagedChannel routedChannel = channel(router.port());
        ManagedChannel readOnlyChannel = channel(readOnly.port());
        try {
          MagpieGrpc.MagpieBlockingStub routed =
              MagpieGrpc.newBlockingStub(routedChannel).withDeadlineAfter(60, TimeUnit.SECONDS);
          MagpieGrpc.MagpieBlockingStub direct = MagpieGrpc.newBlockingStub(one.channel());

          // Sale facts for random items of both shards: the routed answers after them equal one
          // server's that took the same writes.
          UpdateItemsRequest.Builder changes = UpdateItemsRequest.newBuilder();
          for (int i = 0; i < 40; i++) {
            Item it = items.get(random.nextInt(items.size()));
            ItemUpdate.Builder u = ItemUpdate.newBuilder().setItemId(it.externalId());
            switch (random.nextInt(3)) {
              case 0 -> u.setPriceMinor(random.nextInt(30_000));
              case 1 -> u.setStock(random.nextInt(3));
              default -> u.setAvailable(random.nextInt(4) != 0);
            }
            changes.addUpdates(u);
          }
          UpdateItemsResponse ack = routed.updateItems(changes.build());
          assertEquals(40, ack.getApplied());
          assertEquals(0, ack.getSequence());
          assertEquals(shards, ack.getPositionsCount(), ack.toString());
          direct.updateItems(changes.build());
          for (String query : List.of("oak lamp", "brass mirror under $50", "linen", "stool")) {
            SearchRequest ask =
                SearchRequest.newBuilder()
                    .setQuery(query)
                    .setK(10)
                    .setRequireFullCoverage(true)
                    .addAllReadAfter(ack.getPositionsList())
                    .build();
            SearchResponse want = direct.search(ask);
            SearchResponse got = routed.search(ask);
            assertEquals(ids(want), ids(got), query);
            for (int h = 0; h < want.getHitsCount(); h++) {
              assertEquals(want.getHits(h).getScore(), got.getHits(h).getScore(), 1e-5, query);
              assertEquals(want.getHits(h).getItem(), got.getHits(h).getItem(), query);
            }
          }
          GetItemsRequest.Builder all = GetItemsRequest.newBuilder();
          items.forEach(it -> all.addIds(it.externalId()));
          assertEquals(
              direct.getItems(all.build()),
              routed.getItems(all.addAllReadAfter(ack.getPositionsList()).build()));

          // A new item, then a change to it that reads after the add.
          String id = "fresh-1";
          UpdateItemsResponse added =
              routed.updateItems(
                  UpdateItemsRequest.newBuilder()
                      .addUpdates(
                          ItemUpdate.newBuilder()
                              .setItemId(id)
                              .setPriceMinor(1_234)
                              .setStock(3)
                              .setNewItem(
                                  NewItem.newBuilder()
                                      .setTitle("zephyr walnut lamp")
                                      .setBrand("Homely")
                                      .setCategory("Home")))
                      .build());
          assertEquals(1, added.getPositionsCount());
          assertEquals(ShardFunction.shardOf(id, shards), added.getPositions(0).getPartition());
          UpdateItemsResponse changed =
              routed.updateItems(
                  UpdateItemsRequest.newBuilder()
                      .addUpdates(ItemUpdate.newBuilder().setItemId(id).setPriceMinor(999))
                      .addAllReadAfter(added.getPositionsList())
                      .build());
          SearchResponse found =
              routed.search(
                  SearchRequest.newBuilder()
                      .setQuery("zephyr")
                      .setK(5)
                      .addAllReadAfter(changed.getPositionsList())
                      .build());
          assertEquals(id, found.getHits(0).getItem().getId(), found.toString());
          assertEquals(999, found.getHits(0).getItem().getPriceMinor());

          // One bad update refuses the call, naming it, and nothing reaches the log.
          Map<Integer, Long> before = topic.check(kafka.bootstrap());
          StatusRuntimeException bad =
              assertThrows(
                  StatusRuntimeException.class,
                  () ->
                      routed.updateItems(
                          UpdateItemsRequest.newBuilder()
                              .addUpdates(
                                  ItemUpdate.newBuilder()
                                      .setItemId(items.get(0).externalId())
                                      .setStock(5))
                              .addUpdates(
                                  ItemUpdate.newBuilder().setItemId("no-such-item").setStock(1))
                              .build()));
          assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
          assertTrue(
              bad.getStatus().getDescription().contains("updates[1].item_id"),
              bad.getStatus().getDescription());
          assertEquals(before, topic.check(kafka.bootstrap()));

          StatusRuntimeException outside =
              assertThrows(
                  StatusRuntimeException.class,
                  () ->
                      routed.search(
                          SearchRequest.newBuilder()
                              .setQuery("lamp")
                              .setK(5)
                              .addReadAfter(
                                  LogPosition.newBuilder().setPartition(shards).setOffset(1))
                              .build()));
          assertEquals(Status.Code.INVALID_ARGUMENT, outside.getStatus().getCode());
          assertTrue(
              outside.getStatus().getDescription().contains("read_after[0]"),
              outside.getStatus().getDescription());

          StatusRuntimeException refused =
              assertThrows(
                  StatusRuntimeException.class,
                  () -> MagpieGrpc.newBlockingStub(readOnlyChannel).updateItems(changes.build()));
          assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());

          // Shoppers' events through the router, each to its shopper's home shard's partition
          // (recorded there by item id when another shard holds the item): both replicas record
          // them alike. One unknown item refuses the call, naming it, and writes nothing.
          RecordEventsRequest.Builder events = RecordEventsRequest.newBuilder();
          for (int i = 0; i < 30; i++) {
            events.addEvents(
                Event.newBuilder()
                    .setUser("shopper-" + random.nextInt(4))
                    .setItemId(items.get(random.nextInt(items.size())).externalId())
                    .setType("view")
                    .setTimeEpochSeconds(1_700_000_000L + i));
          }
          RecordEventsResponse recorded = routed.recordEvents(events.build());
          assertEquals(30, recorded.getRecorded());
          assertTrue(recorded.getPositionsCount() >= 1, recorded.toString());
          Map<Integer, Long> beforeEvents = topic.check(kafka.bootstrap());
          StatusRuntimeException unknownItem =
              assertThrows(
                  StatusRuntimeException.class,
                  () ->
                      routed.recordEvents(
                          RecordEventsRequest.newBuilder()
                              .addEvents(events.getEvents(0))
                              .addEvents(events.getEvents(1).toBuilder().setItemId("no-such-item"))
                              .build()));
          assertEquals(Status.Code.INVALID_ARGUMENT, unknownItem.getStatus().getCode());
          assertTrue(
              unknownItem.getStatus().getDescription().contains("events[1].item_id"),
              unknownItem.getStatus().getDescription());
          assertEquals(beforeEvents, topic.check(kafka.bootstrap()));

          // Both replicas of shard 0, once at the same offset, hold the same state.
          long end = topic.check(kafka.bootstrap()).get(0);
          GetItemsRequest.Builder shard0 = GetItemsRequest.newBuilder().addIds(id);
          items.stream()
              .filter(it -> ShardFunction.shardOf(it.externalId(), shards) == 0)
              .forEach(it -> shard0.addIds(it.externalId()));
          List<GetItemsResponse> seen = new ArrayList<>();
          List<Long> states = new ArrayList<>();
          for (Loopback replica : List.of(servers.get(0), spare)) {
            ShardGrpc.ShardBlockingStub s = ShardGrpc.newBlockingStub(replica.channel());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (s.describe(DescribeRequest.getDefaultInstance()).getNextUpdateOffset() < end
                && System.nanoTime() < deadline) {
              Thread.sleep(10);
            }
            assertEquals(
                end, s.describe(DescribeRequest.getDefaultInstance()).getNextUpdateOffset());
            seen.add(MagpieGrpc.newBlockingStub(replica.channel()).getItems(shard0.build()));
            states.add(
                s.describe(DescribeRequest.newBuilder().setStateChecksum(true).build())
                    .getStateChecksum());
          }
          assertEquals(seen.get(0), seen.get(1));
          assertEquals(states.get(0), states.get(1), "the replicas' state checksums");
        } finally {
          routedChannel.shutdownNow();
          readOnlyChannel.shutdownNow();
        }
      }
    } finally {
      for (Loopback l : servers) {
        l.close();
      }
    }
  }

  private static List<String> ids(SearchResponse r) {
    return r.getHitsList().stream().map(SearchHit::getItem).map(h -> h.getId()).toList();
  }
}
