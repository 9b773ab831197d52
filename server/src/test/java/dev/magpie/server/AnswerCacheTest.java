package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.magpie.api.v1.AdminGrpc;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.ReloadRequest;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.SearchResponse;
import dev.magpie.api.v1.StatsRequest;
import dev.magpie.api.v1.StatsResponse;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.testing.TestSnapshots;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identical searches share one computation, over loopback (with a limit far above the herd, so that
 * no brownout answers part of it at another level).
 */
class AnswerCacheTest {
  @TempDir Path dir;

  @Test
  void aHerdOfIdenticalSearchesComputesOnceAndGetsOneAnswer() throws Exception {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      items.add(
          TestSnapshots.item(
              "i" + i, "garden hose reel " + i, "Acme", "Garden", 1_000 + i, 3, Map.of()));
    }
    Path store = dir.resolve("store");
    try (Loopback loopback =
        Loopback.start(
            TestSnapshots.build(store, items),
            ServerConfig.builder().cacheTtl(Duration.ofMinutes(5)).maxConcurrency(1_000).build())) {
      MagpieGrpc.MagpieBlockingStub magpie = MagpieGrpc.newBlockingStub(loopback.channel());
      AdminGrpc.AdminBlockingStub admin = AdminGrpc.newBlockingStub(loopback.channel());
      SearchRequest same = SearchRequest.newBuilder().setQuery("garden hose reel").setK(20).build();
      int herd = 8;
      CyclicBarrier start = new CyclicBarrier(herd);
      ConcurrentLinkedQueue<SearchResponse> answers = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < herd; t++) {
        Thread caller =
            new Thread(
                () -> {
                  try {
                    start.await(10, TimeUnit.SECONDS);
                    for (int c = 0; c < 5; c++) {
                      answers.add(magpie.withDeadlineAfter(10, TimeUnit.SECONDS).search(same));
                    }
                  } catch (Exception e) {
                    failures.add(e);
                  }
                },
                "cache-test-caller-" + t);
        caller.start();
        threads.add(caller);
      }
      for (Thread t : threads) {
        t.join(30_000);
      }
      assertEquals(List.of(), List.copyOf(failures));
      assertEquals(herd * 5, answers.size());
      SearchResponse first = answers.peek();
      for (SearchResponse a : answers) {
        assertEquals(first, a, "every caller gets the one answer");
      }
      StatsResponse stats = admin.stats(StatsRequest.getDefaultInstance());
      assertEquals(
          herd * 5 - 1, stats.getCacheHits() + stats.getCoalesced(), "computed once: " + stats);

      magpie.search(same.toBuilder().setK(21).build());
      assertEquals(
          stats.getCacheHits() + stats.getCoalesced(),
          admin.stats(StatsRequest.getDefaultInstance()).getCacheHits()
              + admin.stats(StatsRequest.getDefaultInstance()).getCoalesced(),
          "another request is another answer");

      SearchRequest bad = same.toBuilder().setK(0).build();
      for (int i = 0; i < 2; i++) {
        assertEquals(
            Status.Code.INVALID_ARGUMENT,
            assertThrows(StatusRuntimeException.class, () -> magpie.search(bad))
                .getStatus()
                .getCode(),
            "a failure is not kept: the second call fails on its own");
      }

      TestSnapshots.build(store, items).close();
      admin.reload(ReloadRequest.getDefaultInstance());
      magpie.search(same);
      StatsResponse after = admin.stats(StatsRequest.getDefaultInstance());
      assertEquals(
          0, after.getCacheHits() + after.getCoalesced(), "a reload starts with no kept answers");

      dev.magpie.api.v1.SimilarItemsRequest similar =
          dev.magpie.api.v1.SimilarItemsRequest.newBuilder().setId("i7").setK(5).build();
      dev.magpie.api.v1.RecommendRequest context =
          dev.magpie.api.v1.RecommendRequest.newBuilder().addContext("i7").setK(5).build();
      dev.magpie.api.v1.RecommendResponse firstSimilar = magpie.similarItems(similar);
      dev.magpie.api.v1.RecommendResponse firstRecommended = magpie.recommend(context);
      assertEquals(firstSimilar, magpie.similarItems(similar));
      assertEquals(firstRecommended, magpie.recommend(context));
      StatsResponse reads = admin.stats(StatsRequest.getDefaultInstance());
      assertEquals(
          2, reads.getCacheHits() - after.getCacheHits(), "recommendations are kept too: " + reads);
    }
  }
}
