package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.api.v1.CartLine;
import dev.magpie.api.v1.CompareItemsRequest;
import dev.magpie.api.v1.CompleteBasketRequest;
import dev.magpie.api.v1.CompleteBasketResponse;
import dev.magpie.api.v1.Filters;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.RecommendRequest;
import dev.magpie.api.v1.RecommendResponse;
import dev.magpie.api.v1.Recommendation;
import dev.magpie.api.v1.SimilarItemsRequest;
import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.ShoppingCatalog;
import dev.magpie.engine.testing.TestSnapshots;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recommend and SimilarItems through a router over four shard servers on loopback answer as one
 * server over the same catalog and events: the same items (whole catalog entries), order, scores
 * within 1e-5, reasons, channels and notes; CompleteBasket adds the same items and CompareItems
 * answers the same comparison. A shard server refuses them (they need the whole catalog), a bad
 * request is INVALID_ARGUMENT naming the field, and a shard that is gone leaves a partial answer
 * that says so.
 */
@Seeded
class RoutedRecommendTest {
  @TempDir Path tmp;

  @Test
  void routedRecommendationsEqualOneServers(Random random) throws Exception {
    List<Item> items = ShoppingCatalog.items(random, 600);
    Interactions log = ShoppingCatalog.log(random, items);
    int shards = 4;
    Snapshot single =
        TestSnapshots.build(tmp.resolve("single"), items, ShoppingCatalog.KNOWLEDGE, log);
    List<Snapshot> parts =
        TestSnapshots.buildShards(
            tmp.resolve("cluster"), items, shards, ShoppingCatalog.KNOWLEDGE, log);
    List<Loopback> servers = new ArrayList<>();
    RouterServer router = null;
    ManagedChannel routed = null;
    try (Loopback one = Loopback.start(single, ServerConfig.builder().build())) {
      List<List<RouterServer.Replica>> replicas = new ArrayList<>();
      for (Snapshot part : parts) {
        Loopback l = Loopback.start(part, ServerConfig.builder().build());
        servers.add(l);
        replicas.add(List.of(new RouterServer.Replica("127.0.0.1", l.server().port())));
      }
      router =
          RouterServer.start(replicas, ServerConfig.builder().host("127.0.0.1").port(0).build());
      routed = NettyChannelBuilder.forAddress("127.0.0.1", router.port()).usePlaintext().build();
      MagpieGrpc.MagpieBlockingStub direct = MagpieGrpc.newBlockingStub(one.channel());
      MagpieGrpc.MagpieBlockingStub viaRouter = MagpieGrpc.newBlockingStub(routed);

      int explored = 0;
      for (int r = 0; r < 60; r++) {
        RecommendRequest.Builder request =
            RecommendRequest.newBuilder().setK(1 + random.nextInt(20));
        if (r % 4 != 3) {
          request.setUser("u" + random.nextInt(150));
        }
        if (r % 3 == 0) {
          request.addContext(items.get(random.nextInt(items.size())).externalId());
        }
        if (r % 7 == 0) {
          request.setOccasion("camping trip");
        }
        if (r % 5 == 1) {
          request.setFilters(Filters.newBuilder().setInStockOnly(true).setMaxPriceMinor(9_000));
        }
        request.setNoDiversity(r % 6 == 0).setExplorationShare(r % 4 * 0.1f);
        RecommendResponse expected = deadline(direct).recommend(request.build());
        RecommendResponse actual = deadline(viaRouter).recommend(request.build());
        assertSameAnswer(expected, actual, request.build().toString());
        explored +=
            (int) expected.getItemsList().stream().filter(Recommendation::getExploration).count();
      }
      assertTrue(explored > 0, "some requests explored");
      for (int i = 0; i < 30; i++) {
        SimilarItemsRequest request =
            SimilarItemsRequest.newBuilder()
                .setId(items.get(random.nextInt(items.size())).externalId())
                .setK(1 + random.nextInt(15))
                .build();
        assertSameAnswer(
            deadline(direct).similarItems(request),
            deadline(viaRouter).similarItems(request),
            request.toString());
      }

      int completed = 0;
      for (int b = 0; b < 25; b++) {
        CompleteBasketRequest.Builder basket =
            CompleteBasketRequest.newBuilder().setThresholdMinor(5_000 + random.nextInt(40_000));
        for (int l = 1 + random.nextInt(3); l > 0; l--) {
          Item it = items.get(random.nextInt(items.size()));
          if (it.priceMinor() != Item.UNKNOWN_PRICE) {
            basket.addCart(CartLine.newBuilder().setItemId(it.externalId()).setQuantity(1));
          }
        }
        if (basket.getCartCount() == 0) {
          continue;
        }
        if (b % 2 == 0) {
          basket.setUser("u" + random.nextInt(150));
        }
        if (b % 3 == 0) {
          basket.setCapMinor(basket.getThresholdMinor() + 3_000);
        }
        CompleteBasketResponse want = deadline(direct).completeBasket(basket.build());
        CompleteBasketResponse got = deadline(viaRouter).completeBasket(basket.build());
        assertEquals(want.toBuilder().clearAdded().build(), got.toBuilder().clearAdded().build());
        assertEquals(want.getAddedCount(), got.getAddedCount(), basket.toString());
        for (int i = 0; i < want.getAddedCount(); i++) {
          assertEquals(want.getAdded(i).getItem(), got.getAdded(i).getItem(), basket.toString());
          assertEquals(want.getAdded(i).getScore(), got.getAdded(i).getScore(), 1e-5f);
          assertEquals(want.getAdded(i).getReasonsList(), got.getAdded(i).getReasonsList());
        }
        completed += want.getAddedCount() > 0 ? 1 : 0;
      }
      assertTrue(completed > 0, "some baskets were completed");

      for (int c = 0; c < 20; c++) {
        CompareItemsRequest.Builder compare = CompareItemsRequest.newBuilder();
        for (int n = 2 + random.nextInt(4); compare.getIdsCount() < n; ) {
          String id = items.get(random.nextInt(items.size())).externalId();
          if (!compare.getIdsList().contains(id)) {
            compare.addIds(id);
          }
        }
        if (c % 2 == 0) {
          compare.setUser("u" + random.nextInt(150));
        }
        assertEquals(
            deadline(direct).compareItems(compare.build()),
            deadline(viaRouter).compareItems(compare.build()),
            compare.toString());
      }
      StatusRuntimeException twice =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  deadline(viaRouter)
                      .compareItems(
                          CompareItemsRequest.newBuilder()
                              .addIds(items.get(0).externalId())
                              .addIds("nope")
                              .build()));
      assertEquals(Status.Code.INVALID_ARGUMENT, twice.getStatus().getCode());
      assertTrue(twice.getStatus().getDescription().contains("ids[1]"), twice.getMessage());

      StatusRuntimeException unknown =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  deadline(viaRouter)
                      .recommend(RecommendRequest.newBuilder().setK(5).addContext("nope").build()));
      assertEquals(Status.Code.INVALID_ARGUMENT, unknown.getStatus().getCode());
      assertTrue(unknown.getStatus().getDescription().contains("context[0]"), unknown.getMessage());
      StatusRuntimeException badK =
          assertThrows(
              StatusRuntimeException.class,
              () -> deadline(viaRouter).recommend(RecommendRequest.newBuilder().setK(0).build()));
      assertEquals(Status.Code.INVALID_ARGUMENT, badK.getStatus().getCode());

      StatusRuntimeException onShard =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  deadline(MagpieGrpc.newBlockingStub(servers.get(0).channel()))
                      .recommend(RecommendRequest.newBuilder().setK(5).setUser("u1").build()));
      assertEquals(Status.Code.FAILED_PRECONDITION, onShard.getStatus().getCode());
      assertTrue(onShard.getStatus().getDescription().contains("router"), onShard.getMessage());

      // Shard 3 goes away: an answer from the other three that says so.
      servers.get(3).close();
      servers.set(3, null);
      RecommendResponse partial =
          deadline(viaRouter).recommend(RecommendRequest.newBuilder().setK(10).build());
      assertTrue(
          partial.getNotesList().stream().anyMatch(n -> n.contains("3 of 4 shards answered")),
          partial.getNotesList().toString());
      assertTrue(partial.getItemsCount() > 0);
    } finally {
      if (routed != null) {
        routed.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      if (router != null) {
        router.close();
      }
      for (Loopback l : servers) {
        if (l != null) {
          l.close();
        }
      }
    }
  }

  private static void assertSameAnswer(
      RecommendResponse expected, RecommendResponse actual, String what) {
    assertEquals(expected.getModel(), actual.getModel(), what);
    assertEquals(expected.getNotesList(), actual.getNotesList(), what);
    assertEquals(expected.getItemsCount(), actual.getItemsCount(), what + ": " + actual);
    for (int i = 0; i < expected.getItemsCount(); i++) {
      Recommendation e = expected.getItems(i);
      Recommendation a = actual.getItems(i);
      assertEquals(e.getItem(), a.getItem(), what + ": item " + i);
      assertEquals(e.getScore(), a.getScore(), 1e-5f, what + ": score " + i);
      assertEquals(e.getReasonsList(), a.getReasonsList(), what + ": reasons " + i);
      assertEquals(e.getChannelsList(), a.getChannelsList(), what + ": channels " + i);
      assertEquals(e.getExploration(), a.getExploration(), what + ": exploration " + i);
    }
  }

  private static MagpieGrpc.MagpieBlockingStub deadline(MagpieGrpc.MagpieBlockingStub stub) {
    return stub.withDeadlineAfter(30, TimeUnit.SECONDS);
  }
}
