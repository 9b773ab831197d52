package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.api.v1.AdminGrpc;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.StatsRequest;
import dev.magpie.api.v1.StatsResponse;
import dev.magpie.engine.catalog.Item;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A herd of concurrent searches against a limit of one call in flight, over loopback. */
class SheddingTest {
  @TempDir Path dir;

  @Test
  void pastTheLimitCallsAreRefusedWithARetryHintAndTheRestAnswered() throws Exception {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      items.add(
          TestSnapshots.item(
              "i" + i, "garden hose reel cart " + i, "Acme", "Garden", 1_000 + i, 3, Map.of()));
    }
    try (Loopback loopback =
        Loopback.start(
            TestSnapshots.build(dir.resolve("s"), items),
            ServerConfig.builder().maxConcurrency(1).build())) {
      MagpieGrpc.MagpieBlockingStub magpie = MagpieGrpc.newBlockingStub(loopback.channel());
      AtomicInteger answered = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
      List<Thread> herd = new ArrayList<>();
      for (int t = 0; t < 12; t++) {
        Thread caller =
            new Thread(
                () -> {
                  for (int c = 0; c < 40; c++) {
                    try {
                      magpie
                          .withDeadlineAfter(10, TimeUnit.SECONDS)
                          .search(
                              SearchRequest.newBuilder()
                                  .setQuery("garden hose reel")
                                  .setK(50)
                                  .build());
                      answered.incrementAndGet();
                    } catch (StatusRuntimeException e) {
                      String hint =
                          e.getTrailers() == null
                              ? null
                              : e.getTrailers().get(Refusals.RETRY_PUSHBACK_MS);
                      if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED
                          && hint != null
                          && Integer.parseInt(hint) >= ConcurrencyLimitInterceptor.RETRY_BASE_MS
                          && e.getStatus().getDescription().startsWith("over capacity: ")) {
                        refused.incrementAndGet();
                      } else {
                        problems.add(e.getStatus() + " hint " + hint);
                      }
                    }
                  }
                },
                "shedding-test-caller-" + t);
        caller.start();
        herd.add(caller);
      }
      for (Thread caller : herd) {
        caller.join(60_000);
      }
      assertTrue(problems.isEmpty(), problems.toString());
      assertEquals(12 * 40, answered.get() + refused.get());
      assertTrue(refused.get() > 0, "12 callers at a limit of 1 must be refused sometimes");
      assertTrue(answered.get() > 0, "and answered the rest");
      StatsResponse stats =
          AdminGrpc.newBlockingStub(loopback.channel()).stats(StatsRequest.getDefaultInstance());
      assertEquals(refused.get(), stats.getShed());
      assertEquals(1, stats.getConcurrencyLimit());
      assertEquals(0, stats.getInFlight());
      assertEquals(
          HealthCheckResponse.ServingStatus.SERVING,
          HealthGrpc.newBlockingStub(loopback.channel())
              .check(HealthCheckRequest.getDefaultInstance())
              .getStatus(),
          "health is never shed");
    }
  }
}
