package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.api.v1.AdminGrpc;
import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.ItemUpdate;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.StatsRequest;
import dev.magpie.api.v1.UpdateItemsRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acknowledged update survives kill -9: a server in its own process takes updates from several
 * writers, is killed (SIGKILL, no shutdown hook runs) while they are still writing, and is started
 * again on the same snapshot and log. Every item then shows at least the last value acknowledged for
 * it, and at most the last one sent (one in flight may have reached the disk unacknowledged).
 */
class KillTest {
  private static final int WRITERS = 3;
  private static final int ACKS_BEFORE_KILL = 30;

  @TempDir Path dir;

  /** A running server process and a channel to it. */
  private record Child(Process process, ManagedChannel channel) implements AutoCloseable {
    @Override
    public void close() {
      channel.shutdownNow();
      process.destroyForcibly();
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Child spawn(Path store, Path wal) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
        "java").toString()));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), LiveServerMain.class.getName(),
        store.toString(), wal.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith("PORT ")) {
        int port = Integer.parseInt(line.substring(5).strip());
        Thread.ofPlatform().daemon().name("kill-test-child-output").start(() -> out.lines().forEach(l -> { }));
        return new Child(process, NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
      }
      seen.append(line).append('\n');
    }
    process.destroyForcibly();
    throw new IOException("the server process ended before listening:\n" + seen);
  }

  @Test
  void acknowledgedUpdatesSurviveKill9() throws Exception {
    Path store = dir.resolve("store");
    Path wal = dir.resolve("wal");
    LiveUpdatesTest.snapshot(store).close();
    AtomicLongArray acked = new AtomicLongArray(WRITERS);
    AtomicLongArray sent = new AtomicLongArray(WRITERS);
    try (Child child = spawn(store, wal)) {
      MagpieGrpc.MagpieBlockingStub magpie = MagpieGrpc.newBlockingStub(child.channel());
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(Thread.ofPlatform().name("kill-test-writer-" + w).start(() -> {
          try {
            for (int stock = 1; stock < 100_000; stock++) {
              sent.set(writer, stock);
              try {
                magpie.withDeadlineAfter(10, TimeUnit.SECONDS).updateItems(UpdateItemsRequest.newBuilder()
                    .addUpdates(ItemUpdate.newBuilder().setItemId("case" + writer).setStock(stock)).build());
              } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != io.grpc.Status.Code.RESOURCE_EXHAUSTED) {
                  throw e;
                }
                Thread.sleep(5); // shed before it ran: never applied; the same stock is sent again
                stock--;
                continue;
              }
              acked.set(writer, stock);
            }
          } catch (StatusRuntimeException e) {
            // the server was killed under this call
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (minimum(acked) < ACKS_BEFORE_KILL && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      child.process().destroyForcibly(); // SIGKILL
      child.process().waitFor(30, TimeUnit.SECONDS);
      for (Thread t : writers) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }
    }
    assertTrue(minimum(acked) >= ACKS_BEFORE_KILL, "writers got going: " + acked);
    try (Child child = spawn(store, wal)) {
      MagpieGrpc.MagpieBlockingStub magpie = MagpieGrpc.newBlockingStub(child.channel())
          .withDeadlineAfter(30, TimeUnit.SECONDS);
      long total = 0;
      for (int w = 0; w < WRITERS; w++) {
        int stock = magpie.getItems(GetItemsRequest.newBuilder().addIds("case" + w).build()).getItems(0).getStock();
        assertTrue(stock >= acked.get(w) && stock <= sent.get(w),
            "case" + w + ": stock " + stock + " after restart; acknowledged " + acked.get(w) + ", sent " + sent.get(w));
        total += acked.get(w);
      }
      long replayed = AdminGrpc.newBlockingStub(child.channel()).stats(StatsRequest.getDefaultInstance())
          .getWalReplayed();
      assertTrue(replayed >= total, "replayed " + replayed + " records, " + total + " were acknowledged");
    }
  }

  private static long minimum(AtomicLongArray values) {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < values.length(); i++) {
      min = Math.min(min, values.get(i));
    }
    return min;
  }
}
