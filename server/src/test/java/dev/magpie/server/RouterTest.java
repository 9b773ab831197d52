package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.api.v1.DescribeRequest;
import dev.magpie.api.v1.Filters;
import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.GetItemsResponse;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.SearchHit;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.SearchResponse;
import dev.magpie.api.v1.ShardGrpc;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.shard.Shard;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.TestSnapshots;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router over real shard servers on loopback answers as one server over the whole catalog: the
 * same hits in the same order with the same scores, explanations and score parts, reranked or not;
 * items by id from the shard that holds them; a replica killed is failed over without an error; a
 * shard that is down leaves an answer that says what it covers, or UNAVAILABLE when the caller
 * asked for full coverage.
 */
@Seeded
class RouterTest {
  private static final String[] WORDS = {
    "trail", "running", "shoe", "boot", "hiking", "waterproof", "knife", "chef", "steel", "pan",
    "copper", "pipe", "valve", "drill", "cordless", "hammer", "ladder", "paint", "brush", "tent"
  };
  private static final String[] BRANDS = {"Fleetfoot", "Northpeak", "Edgecraft", "Apex Motion"};

  @TempDir Path tmp;

  private static List<Item> catalog(Random random, int count) {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder title = new StringBuilder();
      for (int w = 1 + random.nextInt(4); w > 0; w--) {
        title.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
      }
      items.add(
          new Item(
              "r-" + i,
              i % 40 == 3 && i > 0 ? items.get(i - 1).title() : title.toString().strip(),
              random.nextBoolean() ? "" : WORDS[random.nextInt(WORDS.length)] + " for the job",
              BRANDS[random.nextInt(BRANDS.length)],
              random.nextBoolean() ? "Tools > Hand Tools" : "Outdoors > Footwear",
              random.nextInt(20_000),
              "USD",
              random.nextInt(4),
              random.nextInt(51) / 10f,
              random.nextBoolean()
                  ? Map.of("color", random.nextBoolean() ? "red" : "blue")
                  : Map.of(),
              null));
    }
    return items;
  }

  private static ManagedChannel channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  @Test
  void routedAnswersEqualOneServersAndSurviveLostReplicas(Random random) throws Exception {
    List<Item> items = catalog(random, 800);
    int shards = 4;
    Snapshot single = TestSnapshots.build(tmp.resolve("single"), items);
    List<Snapshot> parts =
        TestSnapshots.buildShards(tmp.resolve("cluster"), items, shards, Knowledge.EMPTY);
    // Shard 0 gets a second replica over the same store.
    Snapshot secondReplica =
        SnapshotStore.open(tmp.resolve("cluster").resolve("shard-0")).openCurrent();
    List<Loopback> servers = new ArrayList<>();
    RouterServer router = null;
    ManagedChannel routed = null;
    try (Loopback one = Loopback.start(single, ServerConfig.builder().build())) {
      List<List<RouterServer.Replica>> replicas = new ArrayList<>();
      for (int s = 0; s < shards; s++) {
        Loopback l = Loopback.start(parts.get(s), ServerConfig.builder().build());
        servers.add(l);
        replicas.add(
            new ArrayList<>(List.of(new RouterServer.Replica("127.0.0.1", l.server().port()))));
      }
      Loopback spare = Loopback.start(secondReplica, ServerConfig.builder().build());
      servers.add(spare);
      replicas.get(0).add(new RouterServer.Replica("127.0.0.1", spare.server().port()));
      router =
          RouterServer.start(replicas, ServerConfig.builder().host("127.0.0.1").port(0).build());
      routed = channel(router.port());
      MagpieGrpc.MagpieBlockingStub direct = MagpieGrpc.newBlockingStub(one.channel());
      MagpieGrpc.MagpieBlockingStub viaRouter = MagpieGrpc.newBlockingStub(routed);

      List<String> queries =
          new ArrayList<>(
              List.of("red knife", "cordles drill", "fleetfoot boot under $50", "hamer", "zzqx"));
      for (int q = 0; q < 40; q++) {
        queries.add(
            WORDS[random.nextInt(WORDS.length)]
                + (random.nextBoolean() ? " " + WORDS[random.nextInt(WORDS.length)] : ""));
      }
      int compared = 0;
      for (String query : queries) {
        for (boolean noRerank : new boolean[] {false, true}) {
          SearchRequest request =
              SearchRequest.newBuilder()
                  .setQuery(query)
                  .setK(1 + random.nextInt(20))
                  .setNoRerank(noRerank)
                  .setFilters(
                      random.nextInt(4) == 0
                          ? Filters.newBuilder().setInStockOnly(true).build()
                          : Filters.getDefaultInstance())
                  .build();
          SearchResponse expected = deadline(direct).search(request);
          SearchResponse actual = deadline(viaRouter).search(request);
          assertSameAnswer(expected, actual, "'" + query + "' rerank " + !noRerank);
          assertEquals(shards, actual.getCoverage().getShardsAnswered());
          compared++;
        }
      }
      assertTrue(compared >= 90);

      List<String> ids = List.of("r-5", "nope", "r-700", "r-1", "r-399");
      GetItemsRequest get = GetItemsRequest.newBuilder().addAllIds(ids).build();
      GetItemsResponse expectedItems = deadline(direct).getItems(get);
      assertEquals(expectedItems, deadline(viaRouter).getItems(get));

      // One of shard 0's two replicas goes away: callers see no error.
      servers.get(0).close();
      servers.set(0, null);
      for (int i = 0; i < 20; i++) {
        SearchRequest request = SearchRequest.newBuilder().setQuery("knife").setK(10).build();
        assertSameAnswer(
            deadline(direct).search(request), deadline(viaRouter).search(request), "failover " + i);
      }

      // Shard 1 goes away entirely: a partial answer that says so, or UNAVAILABLE on demand.
      servers.get(1).close();
      servers.set(1, null);
      SearchResponse partial =
          deadline(viaRouter).search(SearchRequest.newBuilder().setQuery("knife").setK(10).build());
      assertEquals(shards - 1, partial.getCoverage().getShardsAnswered());
      assertEquals(shards, partial.getCoverage().getShardsTotal());
      assertTrue(
          partial.getNotesList().stream().anyMatch(n -> n.contains("3 of 4 shards answered")),
          partial.getNotesList().toString());
      StatusRuntimeException refused =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  deadline(viaRouter)
                      .search(
                          SearchRequest.newBuilder()
                              .setQuery("knife")
                              .setK(10)
                              .setRequireFullCoverage(true)
                              .build()));
      assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
      StatusRuntimeException bad =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  deadline(viaRouter)
                      .search(SearchRequest.newBuilder().setQuery("x").setK(0).build()));
      assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
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

  private static MagpieGrpc.MagpieBlockingStub deadline(MagpieGrpc.MagpieBlockingStub stub) {
    return stub.withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  static void assertSameAnswer(SearchResponse expected, SearchResponse actual, String what) {
    assertEquals(expected.getSearchedText(), actual.getSearchedText(), what);
    assertEquals(expected.getUnderstoodList(), actual.getUnderstoodList(), what);
    assertEquals(expected.getModel(), actual.getModel(), what);
    assertEquals(ids(expected), ids(actual), what);
    for (int i = 0; i < expected.getHitsCount(); i++) {
      SearchHit e = expected.getHits(i);
      SearchHit a = actual.getHits(i);
      assertEquals(e.getItem(), a.getItem(), what);
      assertEquals(e.getScore(), a.getScore(), 1e-5f, what);
      assertEquals(e.getExplanation(), a.getExplanation(), what);
      assertEquals(e.getPartsCount(), a.getPartsCount(), what);
      for (int p = 0; p < e.getPartsCount(); p++) {
        assertEquals(e.getParts(p).getFeature(), a.getParts(p).getFeature(), what);
        assertEquals(e.getParts(p).getValue(), a.getParts(p).getValue(), 1e-5f, what);
      }
    }
    List<String> notes = new ArrayList<>(actual.getNotesList());
    notes.removeIf(n -> n.contains("shards answered"));
    assertEquals(expected.getNotesList(), notes, what);
  }

  private static List<String> ids(SearchResponse r) {
    List<String> ids = new ArrayList<>();
    for (SearchHit h : r.getHitsList()) {
      ids.add(h.getItem().getId());
    }
    return ids;
  }

  @Test
  void shardsThatNeedAKeyServeARouterThatPresentsOne(Random random) throws Exception {
    List<Item> items = catalog(random, 200);
    List<Snapshot> parts =
        TestSnapshots.buildShards(tmp.resolve("cluster"), items, 2, Knowledge.EMPTY);
    String key = "router-read-key-0123456789abcdef";
    Path keys =
        Files.writeString(
            tmp.resolve("keys.tsv"), "# name\trole\tkey\nrouter\tread\t" + key + "\n");
    List<Loopback> servers = new ArrayList<>();
    try {
      List<List<RouterServer.Replica>> replicas = new ArrayList<>();
      for (Snapshot part : parts) {
        Loopback l = Loopback.start(part, ServerConfig.builder().keys(ApiKeys.read(keys)).build());
        servers.add(l);
        replicas.add(List.of(new RouterServer.Replica("127.0.0.1", l.server().port())));
      }
      ServerConfig front = ServerConfig.builder().host("127.0.0.1").port(0).build();
      IllegalArgumentException refused =
          assertThrows(IllegalArgumentException.class, () -> RouterServer.start(replicas, front));
      assertTrue(refused.getMessage().contains("MAGPIE_SHARD_KEY"), refused.getMessage());
      try (RouterServer router = RouterServer.start(replicas, front, key)) {
        ManagedChannel routed = channel(router.port());
        try {
          SearchResponse r =
              MagpieGrpc.newBlockingStub(routed)
                  .search(
                      SearchRequest.newBuilder()
                          .setQuery("drill")
                          .setK(5)
                          .setRequireFullCoverage(true)
                          .build());
          assertEquals(2, r.getCoverage().getShardsAnswered());
          assertEquals(
              1,
              MagpieGrpc.newBlockingStub(routed)
                  .getItems(GetItemsRequest.newBuilder().addIds(items.get(7).externalId()).build())
                  .getItemsCount());
        } finally {
          routed.shutdownNow();
        }
      }
    } finally {
      for (Loopback l : servers) {
        l.close();
      }
    }
  }

  @Test
  void aReplicaServingAnotherLoadIsNeverAsked(Random random) throws Exception {
    List<Item> items = catalog(random, 300);
    List<Snapshot> routed =
        TestSnapshots.buildShards(tmp.resolve("routed"), items, 2, Knowledge.EMPTY);
    // A later load that added an item: every ordinal after it moved, so its build differs.
    List<Item> more = new ArrayList<>(items);
    more.add(
        0,
        new Item(
            "r-added",
            "hammer hammer hammer",
            "",
            BRANDS[0],
            "Tools > Hand Tools",
            100,
            "USD",
            3,
            4f,
            Map.of(),
            null));
    List<Snapshot> later =
        TestSnapshots.buildShards(tmp.resolve("later"), more, 2, Knowledge.EMPTY);
    later.get(1).close();
    String build = Shard.of(routed.get(0).manifest().build()).build();
    assertTrue(
        !build.equals(Shard.of(later.get(0).manifest().build()).build()), "two loads, two builds");
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Loopback a0 = Loopback.start(routed.get(0), ServerConfig.builder().build());
    MagpieServer b0 = null;
    RouterServer router = null;
    ManagedChannel channel = null;
    try (Loopback a1 = Loopback.start(routed.get(1), ServerConfig.builder().build())) {
      router =
          RouterServer.start(
              List.of(
                  List.of(
                      new RouterServer.Replica("127.0.0.1", a0.server().port()),
                      new RouterServer.Replica("127.0.0.1", port)),
                  List.of(new RouterServer.Replica("127.0.0.1", a1.server().port()))),
              ServerConfig.builder().host("127.0.0.1").port(0).build());
      assertTrue(
          router.warnings().stream().anyMatch(w -> w.contains("does not answer yet")),
          router.warnings().toString());
      // The second replica of shard 0 comes up late, on the later load.
      b0 =
          MagpieServer.start(
              later.get(0), ServerConfig.builder().host("127.0.0.1").port(port).build());
      ManagedChannel toB0 = channel(port);
      try {
        Metadata named = new Metadata();
        named.put(BuildGuard.BUILD, build);
        StatusRuntimeException refused =
            assertThrows(
                StatusRuntimeException.class,
                () ->
                    ShardGrpc.newBlockingStub(toB0)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(named))
                        .describe(DescribeRequest.getDefaultInstance()));
        assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
        assertTrue(
            refused.getStatus().getDescription().contains("the router routes the load " + build),
            refused.getStatus().getDescription());
        assertEquals(
            0,
            ShardGrpc.newBlockingStub(toB0)
                .describe(DescribeRequest.getDefaultInstance())
                .getShard(),
            "a call that names no load passes");
      } finally {
        toB0.shutdownNow();
      }
      channel = channel(router.port());
      MagpieGrpc.MagpieBlockingStub viaRouter = MagpieGrpc.newBlockingStub(channel);
      SearchRequest hammer = SearchRequest.newBuilder().setQuery("hammer").setK(10).build();
      assertEquals(2, deadline(viaRouter).search(hammer).getCoverage().getShardsAnswered());
      // Shard 0's replica of the routed load goes away: its other replica serves another load and
      // is not asked; the answer says shard 0 is missing instead of mixing the loads.
      a0.close();
      a0 = null;
      for (int i = 0; i < 10; i++) {
        SearchResponse partial = deadline(viaRouter).search(hammer);
        assertEquals(1, partial.getCoverage().getShardsAnswered(), "search " + i);
        assertTrue(!ids(partial).contains("r-added"), ids(partial).toString());
      }
      assertThrows(
          StatusRuntimeException.class,
          () ->
              deadline(viaRouter).search(hammer.toBuilder().setRequireFullCoverage(true).build()));
    } finally {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      if (router != null) {
        router.close();
      }
      if (b0 != null) {
        b0.close();
      }
      if (a0 != null) {
        a0.close();
      }
    }
  }

  @Test
  void aRouterStartedBeforeItsReplicasLearnsTheirLoad(Random random) throws Exception {
    List<Item> items = catalog(random, 200);
    Snapshot routed =
        TestSnapshots.buildShards(tmp.resolve("routed"), items, 1, Knowledge.EMPTY).getFirst();
    List<Item> more = new ArrayList<>(items);
    more.add(
        new Item(
            "r-added",
            "drill drill",
            "",
            BRANDS[1],
            "Tools > Hand Tools",
            100,
            "USD",
            3,
            4f,
            Map.of(),
            null));
    Snapshot later =
        TestSnapshots.buildShards(tmp.resolve("later"), more, 1, Knowledge.EMPTY).getFirst();
    int[] ports = new int[2];
    for (int i = 0; i < 2; i++) {
      try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        ports[i] = free.getLocalPort();
      }
    }
    MagpieServer first = null;
    MagpieServer second = null;
    ManagedChannel channel = null;
    try (RouterServer router =
        RouterServer.start(
            List.of(
                List.of(
                    new RouterServer.Replica("127.0.0.1", ports[0]),
                    new RouterServer.Replica("127.0.0.1", ports[1]))),
            ServerConfig.builder().host("127.0.0.1").port(0).build())) {
      assertTrue(
          router.warnings().stream().anyMatch(w -> w.contains("learns the load")),
          router.warnings().toString());
      first =
          MagpieServer.start(
              routed, ServerConfig.builder().host("127.0.0.1").port(ports[0]).build());
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (router.routedBuild() == null && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      assertEquals(Shard.of(routed.manifest().build()).build(), router.routedBuild());
      second =
          MagpieServer.start(
              later, ServerConfig.builder().host("127.0.0.1").port(ports[1]).build());
      first.close();
      first = null;
      channel = channel(router.port());
      MagpieGrpc.MagpieBlockingStub viaRouter = MagpieGrpc.newBlockingStub(channel);
      SearchRequest drill = SearchRequest.newBuilder().setQuery("drill").setK(5).build();
      StatusRuntimeException none =
          assertThrows(
              StatusRuntimeException.class,
              () -> viaRouter.withDeadlineAfter(10, TimeUnit.SECONDS).search(drill));
      assertEquals(
          Status.Code.UNAVAILABLE, none.getStatus().getCode(), none.getStatus().toString());
    } finally {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      if (first != null) {
        first.close();
      }
      if (second != null) {
        second.close();
      }
    }
  }
}
