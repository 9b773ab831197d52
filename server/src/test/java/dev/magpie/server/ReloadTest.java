package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.api.v1.AdminGrpc;
import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.ReloadRequest;
import dev.magpie.api.v1.ReloadResponse;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.StatsRequest;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.testing.TestSnapshots;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admin.Reload under a steady stream of calls on loopback: none fails, the new version serves
 * after.
 */
class ReloadTest {
  @TempDir Path dir;

  private static List<Item> items(String prefix, int n) {
    List<Item> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          TestSnapshots.item(
              prefix + i,
              "garden hose " + prefix + " " + i,
              "Acme",
              "Garden",
              1_000 + i,
              3,
              Map.of()));
    }
    return out;
  }

  @Test
  void reloadSwapsSnapshotsWithoutFailingACall() throws Exception {
    Path store = dir.resolve("store");
    // As many request threads as callers: the concurrency limit admits one call per thread.
    try (Loopback loopback =
        Loopback.start(
            TestSnapshots.build(store, items("a", 20)),
            ServerConfig.builder().threads(3).build())) {
      MagpieGrpc.MagpieBlockingStub magpie = MagpieGrpc.newBlockingStub(loopback.channel());
      AdminGrpc.AdminBlockingStub admin = AdminGrpc.newBlockingStub(loopback.channel());
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger calls = new AtomicInteger();
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      List<Thread> callers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        Thread caller =
            new Thread(
                () -> {
                  while (!stop.get()) {
                    try {
                      magpie
                          .withDeadlineAfter(10, TimeUnit.SECONDS)
                          .search(
                              SearchRequest.newBuilder().setQuery("garden hose").setK(5).build());
                      calls.incrementAndGet();
                    } catch (RuntimeException e) {
                      failures.add(e);
                    }
                  }
                },
                "reload-test-caller-" + t);
        caller.start();
        callers.add(caller);
      }
      try {
        while (calls.get() < 50) {
          Thread.sleep(5);
        }
        try (Snapshot published = TestSnapshots.build(store, items("b", 30))) {
          assertEquals(2, published.manifest().version());
        }
        ReloadResponse reloaded =
            admin
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .reload(ReloadRequest.getDefaultInstance());
        assertEquals(1, reloaded.getPreviousVersion());
        assertEquals(2, reloaded.getVersion());
        assertEquals(30, reloaded.getItems());
        int atReload = calls.get();
        while (calls.get() < atReload + 50) {
          Thread.sleep(5);
        }
      } finally {
        stop.set(true);
        for (Thread caller : callers) {
          caller.join(10_000);
        }
      }
      assertTrue(failures.isEmpty(), "calls failed across the reload: " + failures);
      assertEquals(2, admin.stats(StatsRequest.getDefaultInstance()).getVersion());
      assertEquals(
          List.of("b7"),
          magpie
              .getItems(GetItemsRequest.newBuilder().addIds("a7").addIds("b7").build())
              .getItemsList()
              .stream()
              .map(dev.magpie.api.v1.Item::getId)
              .toList());
      assertTrue(
          magpie
              .search(SearchRequest.newBuilder().setQuery("garden hose").setK(5).build())
              .getHitsList()
              .stream()
              .allMatch(h -> h.getItem().getId().startsWith("b")));
      StatusRuntimeException bad =
          assertThrows(
              StatusRuntimeException.class,
              () ->
                  admin.reload(
                      ReloadRequest.newBuilder()
                          .setSnapshot(dir.resolve("nowhere").toString())
                          .build()));
      assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
      assertTrue(
          bad.getStatus().getDescription().startsWith("snapshot: cannot open '"),
          bad.getStatus().getDescription());
      assertEquals(
          2,
          admin.stats(StatsRequest.getDefaultInstance()).getVersion(),
          "a failed reload keeps serving");
    }
  }
}
