package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.client.MagpieClient;
import dev.magpie.engine.testing.TestSnapshots;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client against the real server: keys, retries that honour the server's pushback, and
 * both ways of waiting for an answer (parked, spinning).
 */
class MagpieClientTest {
  private static final String KEY = "client-test-key-0123456789";

  @TempDir Path dir;

  @Test
  void sendsTheKeyAndWaitsOutARateLimitRefusal() throws Exception {
    Path keys = Files.writeString(dir.resolve("keys.tsv"), "agent\tread\t" + KEY + "\n");
    try (MagpieServer server =
        MagpieServer.start(
            TestSnapshots.build(dir.resolve("s"), LiveUpdatesTest.catalog()),
            ServerConfig.builder().keys(ApiKeys.read(keys)).rateLimit(4, 1).build())) {
      // The patient client spins for its answers, the others park: both ways of waiting see the
      // same errors.
      try (MagpieClient patient =
              MagpieClient.connect("127.0.0.1", server.port())
                  .apiKey(KEY)
                  .maxRetries(3)
                  .spinWait(java.time.Duration.ofMillis(2))
                  .build();
          MagpieClient hasty =
              MagpieClient.connect("127.0.0.1", server.port()).apiKey(KEY).maxRetries(0).build();
          MagpieClient anonymous = MagpieClient.connect("127.0.0.1", server.port()).build()) {
        long start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
          assertEquals("case1", patient.getItems(List.of("case1")).getItems(0).getId());
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(
            elapsedMs >= 300,
            "three calls at 4 a second (burst 1) waited for tokens: " + elapsedMs + " ms");
        StatusRuntimeException refused =
            assertThrows(
                StatusRuntimeException.class,
                () -> {
                  for (int i = 0; i < 3; i++) {
                    hasty.getItems(List.of("case1"));
                  }
                });
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode());
        assertEquals(
            Status.Code.UNAUTHENTICATED,
            assertThrows(StatusRuntimeException.class, () -> anonymous.getItems(List.of("case1")))
                .getStatus()
                .getCode());
        assertEquals(
            io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING, anonymous.health());
      }
    }
  }
}
