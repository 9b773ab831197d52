package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.testing.TestSnapshots;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.time.Duration;
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
 * One greedy client cannot starve the others, with no rate limit configured: twelve of its threads
 * call back to back, far past what the server takes, while a modest client sends one search every
 * 20 ms. While both call, the concurrency limit lets no client hold more than three quarters of its
 * slots, so the modest client's calls are answered at the first try and the greedy one's excess is
 * shed, over loopback.
 */
class FairnessTest {
  private static final String GREEDY = "greedy-key-0123456789abcdef";
  private static final String MODEST = "modest-key-0123456789abcdef";
  private static final int MODEST_CALLS = 100;

  @TempDir Path dir;

  private static MagpieGrpc.MagpieBlockingStub as(Loopback loopback, String key) {
    Metadata m = new Metadata();
    m.put(AuthInterceptor.API_KEY, key);
    return MagpieGrpc.newBlockingStub(loopback.channel())
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m));
  }

  @Test
  void aGreedyClientCannotStarveAModestOne() throws Exception {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      items.add(
          TestSnapshots.item(
              "i" + i,
              "garden hose reel cart " + i + " with " + (i % 97) + " metre hose",
              "Acme",
              "Garden",
              1_000 + i,
              3,
              Map.of()));
    }
    ApiKeys keys =
        ApiKeys.of(
            Map.of(
                GREEDY,
                new ApiKeys.Client("greedy", Role.READ),
                MODEST,
                new ApiKeys.Client("modest", Role.READ)));
    try (Loopback loopback =
        Loopback.start(
            TestSnapshots.build(dir.resolve("s"), items),
            ServerConfig.builder().keys(keys).maxConcurrency(4).cacheTtl(Duration.ZERO).build())) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger greedyAnswered = new AtomicInteger();
      AtomicInteger greedyShed = new AtomicInteger();
      ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
      List<Thread> herd = new ArrayList<>();
      MagpieGrpc.MagpieBlockingStub greedy = as(loopback, GREEDY);
      for (int t = 0; t < 12; t++) {
        int thread = t;
        herd.add(
            Thread.ofPlatform()
                .name("fairness-greedy-" + t)
                .start(
                    () -> {
                      for (int c = 0; !stop.get(); c++) {
                        try {
                          // a different call each time: nothing coalesces
                          greedy
                              .withDeadlineAfter(10, TimeUnit.SECONDS)
                              .search(
                                  SearchRequest.newBuilder()
                                      .setQuery("garden hose reel " + (thread * 1000 + c))
                                      .setK(50)
                                      .build());
                          greedyAnswered.incrementAndGet();
                        } catch (StatusRuntimeException e) {
                          if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                            greedyShed.incrementAndGet();
                          } else {
                            problems.add(e.getStatus().toString());
                          }
                        }
                      }
                    }));
      }
      Thread.sleep(300); // the herd is in full cry, holding every slot (it was alone)
      MagpieGrpc.MagpieBlockingStub modest = as(loopback, MODEST);
      // The modest client arrives: the herd's slots from before must drain (nothing is pre-empted),
      // so
      // its first call may be shed; it retries after the pushback, as MagpieClient does.
      long arrival = System.nanoTime();
      for (int attempt = 0; ; attempt++) {
        try {
          modest
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .search(SearchRequest.newBuilder().setQuery("hose").setK(10).build());
          break;
        } catch (StatusRuntimeException e) {
          assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
          assertTrue(attempt < 40, "the modest client never got in");
          Thread.sleep(Integer.parseInt(e.getTrailers().get(Refusals.RETRY_PUSHBACK_MS)));
        }
      }
      long arrivalMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - arrival);
      int answered = 0;
      List<String> refusals = new ArrayList<>();
      for (int c = 0; c < MODEST_CALLS; c++) {
        try {
          modest
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .search(SearchRequest.newBuilder().setQuery("hose cart " + c).setK(10).build());
          answered++;
        } catch (StatusRuntimeException e) {
          refusals.add(e.getStatus().toString());
        }
        Thread.sleep(20);
      }
      stop.set(true);
      for (Thread t : herd) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }
      long overShare =
          Math.round(
              loopback.server().metrics().get("magpie.shed.over.share").functionCounter().count());
      System.out.printf(
          "[fairness] modest client: in after %d ms, then %d of %d answered at the first try; greedy"
              + " client: %,d answered, %,d shed (%,d over its share)%n",
          arrivalMs, answered, MODEST_CALLS, greedyAnswered.get(), greedyShed.get(), overShare);
      assertEquals(List.of(), List.copyOf(problems));
      assertTrue(arrivalMs < 5_000, "the modest client got in only after " + arrivalMs + " ms");
      assertTrue(
          greedyShed.get() > greedyAnswered.get(),
          "the greedy client was past capacity: "
              + greedyShed.get()
              + " shed, "
              + greedyAnswered.get()
              + " answered");
      assertTrue(
          answered >= MODEST_CALLS * 95 / 100,
          "the modest client got "
              + answered
              + " of "
              + MODEST_CALLS
              + " answered; refused: "
              + refusals.subList(0, Math.min(3, refusals.size())));
    }
  }
}
