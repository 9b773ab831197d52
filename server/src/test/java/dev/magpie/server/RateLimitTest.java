package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.testing.TestSnapshots;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-client rate limits over loopback: a greedy client is held to its rate, another is not
 * starved.
 */
class RateLimitTest {
  private static final String GREEDY = "greedy-key-0123456789abcdef";
  private static final String MODEST = "modest-key-0123456789abcdef";

  @TempDir Path dir;

  private static MagpieGrpc.MagpieBlockingStub as(Loopback loopback, String key) {
    Metadata m = new Metadata();
    m.put(AuthInterceptor.API_KEY, key);
    return MagpieGrpc.newBlockingStub(loopback.channel())
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(m))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @Test
  void aGreedyClientIsHeldToItsRateAndOthersStillGetIn() throws Exception {
    ApiKeys keys =
        ApiKeys.of(
            Map.of(
                GREEDY,
                new ApiKeys.Client("greedy", Role.READ),
                MODEST,
                new ApiKeys.Client("modest", Role.READ)));
    List<Item> items =
        List.of(TestSnapshots.item("a", "garden hose", "Acme", "Garden", 100, 1, Map.of()));
    try (Loopback loopback =
        Loopback.start(
            TestSnapshots.build(dir.resolve("s"), items),
            ServerConfig.builder().keys(keys).rateLimit(2, 5).build())) {
      GetItemsRequest lookup = GetItemsRequest.newBuilder().addIds("a").build();
      int answered = 0;
      int refused = 0;
      long start = System.nanoTime();
      for (int i = 0; i < 40; i++) {
        try {
          as(loopback, GREEDY).getItems(lookup);
          answered++;
        } catch (StatusRuntimeException e) {
          assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
          assertTrue(
              e.getStatus()
                  .getDescription()
                  .startsWith(
                      "rate limit: 'greedy' may make 2.0 calls a second"
                          + " (bursts of 5); retry after "),
              e.getStatus().getDescription());
          int hint = Integer.parseInt(e.getTrailers().get(Refusals.RETRY_PUSHBACK_MS));
          assertTrue(
              hint >= 1 && hint <= 500, "the next token is at most half a second away: " + hint);
          refused++;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      // the burst, plus what refilled at 2 a second while the 40 calls ran
      assertTrue(
          answered >= 5 && answered <= 5 + Math.ceil(2 * seconds),
          answered + " answered in " + seconds + " s");
      assertEquals(40, answered + refused);
      for (int i = 0; i < 5; i++) {
        assertEquals(
            "a",
            as(loopback, MODEST).getItems(lookup).getItems(0).getId(),
            "the modest client's call " + i);
      }
    }
  }
}
