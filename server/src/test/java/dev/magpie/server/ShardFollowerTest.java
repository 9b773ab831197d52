package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import dev.magpie.api.v1.AdminGrpc;
import dev.magpie.api.v1.DescribeRequest;
import dev.magpie.api.v1.FetchRequest;
import dev.magpie.api.v1.FetchResponse;
import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.Item;
import dev.magpie.api.v1.ItemUpdate;
import dev.magpie.api.v1.LogPosition;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.ReloadRequest;
import dev.magpie.api.v1.ShardGrpc;
import dev.magpie.api.v1.UpdateItemsRequest;
import dev.magpie.cluster.log.UpdatePublisher;
import dev.magpie.cluster.log.UpdateTopic;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.live.LiveUpdate;
import dev.magpie.engine.shard.ShardFunction;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.testing.TestSnapshots;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shard server that follows the cluster's update log (a real Kafka broker in process): updates
 * published to its partition reach its answers, in order; a record that does not decode and an
 * update the catalog refuses are skipped without stopping it; it says how far it has applied.
 */
class ShardFollowerTest {
  @TempDir Path tmp;

  @Test
  void aShardReplicaServesWhatItsPartitionSays() throws Exception {
    List<dev.magpie.engine.catalog.Item> items = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      items.add(
          TestSnapshots.item("f-" + i, "lamp number " + i, "Glow", "Home", 1_000 + i, 5, Map.of()));
    }
    List<Snapshot> shards = TestSnapshots.buildShards(tmp.resolve("c"), items, 2, Knowledge.EMPTY);
    shards.get(1).close();
    String onShard0 = null;
    for (dev.magpie.engine.catalog.Item it : items) {
      if (ShardFunction.shardOf(it.externalId(), 2) == 0) {
        onShard0 = it.externalId();
        break;
      }
    }
    try (TestBroker kafka = TestBroker.start()) {
      String bootstrap = kafka.bootstrap();
      kafka.createTopic("catalog", 2);
      UpdateTopic topic = new UpdateTopic("catalog", 2);
      try (Loopback server =
              Loopback.start(
                  shards.get(0),
                  ServerConfig.builder()
                      .updates(new ServerConfig.UpdateLog(bootstrap, "catalog"))
                      .build());
          UpdatePublisher publisher = new UpdatePublisher(bootstrap, topic, "test")) {
        Properties raw = new Properties();
        raw.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, byte[]> poison =
            new KafkaProducer<>(raw, new StringSerializer(), new ByteArraySerializer())) {
          poison.send(new ProducerRecord<>("catalog", 0, "x", new byte[] {1, 42})).get();
        }
        List<UpdatePublisher.Acked> acked =
            publisher
                .publish(
                    List.of(
                        new LiveUpdate.ItemChange(
                            "not-in-the-catalog", 5, "USD", 1, LiveUpdate.Availability.UNCHANGED),
                        new LiveUpdate.ItemChange(
                            onShard0, 4_242, "USD", 77, LiveUpdate.Availability.UNCHANGED)))
                .get(30, TimeUnit.SECONDS);
        long through = acked.get(1).offset() + 1;
        ShardGrpc.ShardBlockingStub shard = ShardGrpc.newBlockingStub(server.channel());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (shard.describe(DescribeRequest.getDefaultInstance()).getNextUpdateOffset() < through
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertEquals(
            through, shard.describe(DescribeRequest.getDefaultInstance()).getNextUpdateOffset());
        Item item =
            MagpieGrpc.newBlockingStub(server.channel())
                .getItems(GetItemsRequest.newBuilder().addIds(onShard0).build())
                .getItems(0);
        assertEquals(4_242, item.getPriceMinor());
        assertEquals(77, item.getStock());
        assertTrue(server.server().nextUpdateOffset() >= through);
        String target = onShard0;
        StatusRuntimeException refused =
            assertThrows(
                StatusRuntimeException.class,
                () ->
                    MagpieGrpc.newBlockingStub(server.channel())
                        .updateItems(
                            UpdateItemsRequest.newBuilder()
                                .addUpdates(ItemUpdate.newBuilder().setItemId(target).setStock(1))
                                .build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
        assertTrue(
            refused.getStatus().getDescription().contains("update log"),
            refused.getStatus().getDescription());
        // A reload in place would lose the updates between the new snapshot's offset and the
        // replica's: refused, saying to restart on it.
        StatusRuntimeException noReload =
            assertThrows(
                StatusRuntimeException.class,
                () ->
                    AdminGrpc.newBlockingStub(server.channel())
                        .reload(ReloadRequest.getDefaultInstance()));
        assertEquals(Status.Code.FAILED_PRECONDITION, noReload.getStatus().getCode());
        assertEquals(MagpieServer.FOLLOWER_RELOAD, noReload.getStatus().getDescription());
      }
    }
  }

  @Test
  void callsWaitingToReadAfterAWriteHoldNoThread() throws Exception {
    List<dev.magpie.engine.catalog.Item> items = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      items.add(TestSnapshots.item("w-" + i, "kettle " + i, "Glow", "Home", 900, 5, Map.of()));
    }
    Snapshot shard = TestSnapshots.buildShards(tmp.resolve("c"), items, 1, Knowledge.EMPTY).get(0);
    try (TestBroker kafka = TestBroker.start()) {
      String bootstrap = kafka.bootstrap();
      kafka.createTopic("catalog", 1);
      // Two request threads, and more calls than that waiting for a write not yet made (the
      // concurrency limit counts calls in flight, waiting or not: set above them).
      try (Loopback server =
              Loopback.start(
                  shard,
                  ServerConfig.builder()
                      .threads(2)
                      .maxConcurrency(32)
                      .updates(new ServerConfig.UpdateLog(bootstrap, "catalog"))
                      .build());
          UpdatePublisher publisher =
              new UpdatePublisher(bootstrap, new UpdateTopic("catalog", 1), "test")) {
        ShardGrpc.ShardBlockingStub blocking = ShardGrpc.newBlockingStub(server.channel());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!HealthGrpc.newBlockingStub(server.channel())
                .check(HealthCheckRequest.newBuilder().setService("magpie.v1.Magpie").build())
                .getStatus()
                .equals(HealthCheckResponse.ServingStatus.SERVING)
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        FetchRequest after =
            FetchRequest.newBuilder()
                .addIds("w-3")
                .addReadAfter(LogPosition.newBuilder().setPartition(0).setOffset(0))
                .build();
        ShardGrpc.ShardFutureStub async = ShardGrpc.newFutureStub(server.channel());
        List<ListenableFuture<FetchResponse>> waiting = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          waiting.add(async.withDeadlineAfter(20, TimeUnit.SECONDS).fetch(after));
        }
        Thread.sleep(300);
        long start = System.nanoTime();
        assertEquals(
            0L,
            blocking
                .withDeadlineAfter(2, TimeUnit.SECONDS)
                .describe(DescribeRequest.getDefaultInstance())
                .getNextUpdateOffset());
        assertTrue(
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 2_000,
            "a call that reads nothing after is answered while eight wait");
        for (ListenableFuture<FetchResponse> w : waiting) {
          assertTrue(!w.isDone(), "waiting for offset 0");
        }
        publisher
            .publish(
                List.of(
                    new LiveUpdate.ItemChange(
                        "w-3", 777, "USD", 2, LiveUpdate.Availability.UNCHANGED)))
            .get(30, TimeUnit.SECONDS);
        for (ListenableFuture<FetchResponse> w : waiting) {
          assertEquals(777, w.get(20, TimeUnit.SECONDS).getItems(0).getItem().getPriceMinor());
        }
        // A write that never comes: UNAVAILABLE after half the call's time, saying how far it is.
        StatusRuntimeException late =
            assertThrows(
                StatusRuntimeException.class,
                () ->
                    blocking
                        .withDeadlineAfter(2, TimeUnit.SECONDS)
                        .fetch(
                            after.toBuilder()
                                .setReadAfter(
                                    0, LogPosition.newBuilder().setPartition(0).setOffset(5))
                                .build()));
        assertEquals(Status.Code.UNAVAILABLE, late.getStatus().getCode(), late.toString());
        assertTrue(
            late.getStatus()
                .getDescription()
                .contains("up to offset 0, the call reads after offset 5"),
            late.getStatus().getDescription());
      }
    }
  }

  @Test
  void aReplicaIsReadyOnlyOnceItHasReplayedWhatItsPartitionHeldAtStart() throws Exception {
    List<dev.magpie.engine.catalog.Item> items = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      items.add(TestSnapshots.item("g-" + i, "mug " + i, "Glow", "Home", 500, 5, Map.of()));
    }
    List<Snapshot> shards = TestSnapshots.buildShards(tmp.resolve("c"), items, 1, Knowledge.EMPTY);
    String id = items.get(3).externalId();
    try (TestBroker kafka = TestBroker.start()) {
      UpdateTopic topic = new UpdateTopic("catalog", 1);
      topic.prepare(kafka.bootstrap(), (short) 1);
      List<LiveUpdate> backlog = new ArrayList<>();
      for (int i = 1; i <= 3_000; i++) {
        backlog.add(
            new LiveUpdate.ItemChange(id, i, "USD", i % 7, LiveUpdate.Availability.UNCHANGED));
      }
      long end;
      try (UpdatePublisher publisher = new UpdatePublisher(kafka.bootstrap(), topic, "test")) {
        end = publisher.publish(backlog).get(60, TimeUnit.SECONDS).getLast().offset() + 1;
      }
      try (Loopback server =
          Loopback.start(
              shards.getFirst(),
              ServerConfig.builder()
                  .updates(new ServerConfig.UpdateLog(kafka.bootstrap(), "catalog"))
                  .build())) {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(server.channel());
        HealthCheckRequest ready =
            HealthCheckRequest.newBuilder().setService(MagpieGrpc.SERVICE_NAME).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (health.check(ready).getStatus() != HealthCheckResponse.ServingStatus.SERVING
            && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.check(ready).getStatus());
        // Ready means caught up: the last of the backlog is served, with no more waiting.
        assertTrue(server.server().nextUpdateOffset() >= end);
        Item item =
            MagpieGrpc.newBlockingStub(server.channel())
                .getItems(GetItemsRequest.newBuilder().addIds(id).build())
                .getItems(0);
        assertEquals(3_000, item.getPriceMinor());
        assertEquals(3_000 % 7, item.getStock());
      }
    }
  }
}
