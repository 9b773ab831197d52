package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.testing.FuzzInputs;
import dev.magpie.engine.testing.LongMode;
import dev.magpie.engine.testing.Seeded;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing of request validation end to end: any bytes, as the request of any {@code
 * magpie.v1.Magpie} method, sent to the real server over loopback (with live updates on, so writes
 * are validated and logged too). Every call ends with an answer or a refusal that says what was
 * wrong (INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION) or a shed (RESOURCE_EXHAUSTED); never
 * INTERNAL or UNKNOWN, never a refusal that echoes a long input; the server stays healthy.
 * {@code @FuzzTest} replays the seed corpus in every build and fuzzes with {@code JAZZER_FUZZ=1}
 * ({@code scripts/fuzz.sh}); {@link #mutatedSeeds} runs random edits of the seeds every build.
 */
@Seeded
class RequestFuzzTest {
  private static final List<MethodDescriptor<byte[], byte[]>> METHODS =
      List.of(
          RawBytes.of(MagpieGrpc.getSearchMethod()), RawBytes.of(MagpieGrpc.getGetItemsMethod()),
          RawBytes.of(MagpieGrpc.getRecommendMethod()),
              RawBytes.of(MagpieGrpc.getSimilarItemsMethod()),
          RawBytes.of(MagpieGrpc.getCompareItemsMethod()),
              RawBytes.of(MagpieGrpc.getCompleteBasketMethod()),
          RawBytes.of(MagpieGrpc.getUpdateItemsMethod()),
              RawBytes.of(MagpieGrpc.getRecordEventsMethod()));
  private static final Set<Status.Code> SAYS_WHAT_WAS_WRONG =
      Set.of(
          Status.Code.INVALID_ARGUMENT,
          Status.Code.NOT_FOUND,
          Status.Code.FAILED_PRECONDITION,
          Status.Code.RESOURCE_EXHAUSTED);

  @TempDir static Path dir;
  private static Loopback loopback;

  @BeforeAll
  static void start() throws IOException {
    Path store = dir.resolve("store");
    LiveUpdatesTest.snapshot(store).close();
    loopback =
        Loopback.start(
            Snapshot.open(SnapshotStore.resolveVersionDir(store)),
            ServerConfig.builder().wal(dir.resolve("wal")).build());
  }

  @AfterAll
  static void stop() {
    loopback.close();
  }

  /** The first byte chooses the method; the rest is the request's bytes. */
  @FuzzTest(maxDuration = "2m")
  void anyRequest(byte[] input) {
    MethodDescriptor<byte[], byte[]> method =
        METHODS.get(input.length > 0 ? (input[0] & 0xFF) % METHODS.size() : 0);
    byte[] body = input.length > 1 ? Arrays.copyOfRange(input, 1, input.length) : new byte[0];
    try {
      ClientCalls.blockingUnaryCall(
          loopback.channel(),
          method,
          CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
          body);
    } catch (StatusRuntimeException e) {
      Status status = e.getStatus();
      assertTrue(
          SAYS_WHAT_WAS_WRONG.contains(status.getCode()),
          method.getFullMethodName() + ": " + status);
      String description = String.valueOf(status.getDescription());
      assertTrue(
          !description.isBlank() && description.length() < 2_000,
          method.getFullMethodName()
              + ": a short refusal, got "
              + description.length()
              + " characters");
    }
  }

  @Test
  void mutatedSeeds(Random random) {
    int runs = LongMode.count("fuzz.mutations", 2_000, 50_000);
    FuzzInputs.run(random, RequestFuzzTest.class, "anyRequest", runs, this::anyRequest);
    assertEquals(
        HealthCheckResponse.ServingStatus.SERVING,
        HealthGrpc.newBlockingStub(loopback.channel())
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance())
            .getStatus());
  }
}
