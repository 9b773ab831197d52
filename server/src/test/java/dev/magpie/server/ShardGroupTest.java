package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import dev.magpie.api.v1.DescribeRequest;
import dev.magpie.api.v1.DescribeResponse;
import dev.magpie.api.v1.ShardGrpc;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the router calls a shard's replicas ({@link ShardGroup}), against real gRPC servers on
 * loopback that answer slowly or not at all on purpose: a slow replica is hedged to another one,
 * and the first answer wins; hedges stay within their share of the calls; a replica that is down is
 * failed over at once.
 */
class ShardGroupTest {
  private final List<Server> servers = new ArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private ShardGroup group;

  /** A shard service whose Describe answers after {@code delayMillis}, naming {@code shard}. */
  private Server replica(int shard, long delayMillis) throws Exception {
    return replica(shard, delayMillis, 0);
  }

  /** As {@link #replica(int, long)}, on {@code port} (0: any free one). */
  private Server replica(int shard, long delayMillis, int port) throws Exception {
    ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .addService(
                new ShardGrpc.ShardImplBase() {
                  @Override
                  public void describe(
                      DescribeRequest request, StreamObserver<DescribeResponse> response) {
                    later.schedule(
                        () -> {
                          response.onNext(DescribeResponse.newBuilder().setShard(shard).build());
                          response.onCompleted();
                        },
                        delayMillis,
                        TimeUnit.MILLISECONDS);
                  }
                })
            .build()
            .start();
    servers.add(server);
    return server;
  }

  private ListenableFuture<DescribeResponse> describe() {
    return group.call(
        (replica, remaining) ->
            replica
                .shard()
                .withDeadlineAfter(remaining, TimeUnit.NANOSECONDS)
                .describe(DescribeRequest.getDefaultInstance()),
        System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
  }

  @AfterEach
  void stop() throws Exception {
    if (group != null) {
      group.close();
    }
    for (Server s : servers) {
      s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    timer.shutdownNow();
  }

  @Test
  void aSlowReplicaIsHedgedAndTheFirstAnswerWins() throws Exception {
    Server slow = replica(7, 2_000);
    Server fast = replica(8, 0);
    group =
        new ShardGroup(
            0,
            List.of(
                new ShardReplica("127.0.0.1", slow.getPort()),
                new ShardReplica("127.0.0.1", fast.getPort())),
            timer);
    long start = System.nanoTime();
    DescribeResponse answer = describe().get(5, TimeUnit.SECONDS);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(8, answer.getShard(), "the fast replica's answer, after the hedge");
    assertTrue(millis < 1_000, "answered in " + millis + " ms, not after the slow replica's 2 s");
    assertEquals(1, group.hedges());
  }

  @Test
  void hedgesStayWithinTheirShareOfCalls() throws Exception {
    Server slow = replica(7, 150);
    Server fast = replica(8, 0);
    group =
        new ShardGroup(
            0,
            List.of(
                new ShardReplica("127.0.0.1", slow.getPort()),
                new ShardReplica("127.0.0.1", fast.getPort())),
            timer);
    int calls = 200;
    List<ListenableFuture<DescribeResponse>> all = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      all.add(describe());
    }
    for (ListenableFuture<DescribeResponse> f : all) {
      f.get(10, TimeUnit.SECONDS);
    }
    long allowed = (long) (calls * ShardGroup.HEDGE_SHARE) + ShardGroup.HEDGE_BURST;
    assertTrue(group.hedges() > 0, "the slow replica's calls were hedged");
    assertTrue(
        group.hedges() <= allowed,
        group.hedges() + " hedges for " + calls + " calls, at most " + allowed);
  }

  @Test
  void whenEveryReplicaFailsAtOnceTheCallFailsAtOnce() throws Exception {
    // Failures that come back before the call that launched the next attempt has finished its own
    // bookkeeping (a replica known unreachable fails a call as it is sent): the call fails with the
    // last reason instead of waiting out its deadline.
    group =
        new ShardGroup(
            0,
            List.of(
                new ShardReplica("127.0.0.1", 1),
                new ShardReplica("127.0.0.1", 2),
                new ShardReplica("127.0.0.1", 3)),
            timer);
    for (int i = 0; i < 6; i++) {
      Status refusal = i % 2 == 0 ? Status.UNAVAILABLE : Status.FAILED_PRECONDITION;
      List<String> tried = new ArrayList<>();
      ListenableFuture<DescribeResponse> call =
          group.call(
              (replica, remaining) -> {
                tried.add(replica.address());
                return Futures.immediateFailedFuture(
                    refusal
                        .withDescription("refused by " + replica.address())
                        .asRuntimeException());
              },
              System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
      assertTrue(call.isDone(), "call " + i + " failed at once, having tried " + tried);
      assertEquals(3, tried.size(), tried.toString());
      ExecutionException failed = assertThrows(ExecutionException.class, call::get);
      assertTrue(
          failed.getCause().getMessage().contains("refused by " + tried.getLast()),
          failed.getCause().getMessage());
    }
  }

  @Test
  void aReplicaThatIsDownIsFailedOverAtOnce() throws Exception {
    Server gone = replica(7, 0);
    Server up = replica(8, 0);
    int gonePort = gone.getPort();
    gone.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    group =
        new ShardGroup(
            0,
            List.of(
                new ShardReplica("127.0.0.1", gonePort),
                new ShardReplica("127.0.0.1", up.getPort())),
            timer);
    for (int i = 0; i < 10; i++) {
      assertEquals(8, describe().get(5, TimeUnit.SECONDS).getShard());
    }
    // The first call to reach the dead replica fails over; after that its channel is known
    // unreachable (waiting to reconnect) and calls try it last, so at most half fail over.
    assertTrue(
        group.failovers() >= 1 && group.failovers() <= 5,
        group.failovers() + " failovers in 10 calls");
  }

  @Test
  void aReplicaBackOnItsPortTakesCallsSoonWithoutCallsToWakeIt() throws Exception {
    Server first = replica(7, 0);
    Server second = replica(8, 0);
    int firstPort = first.getPort();
    group =
        new ShardGroup(
            0,
            List.of(
                new ShardReplica("127.0.0.1", firstPort),
                new ShardReplica("127.0.0.1", second.getPort())),
            timer);
    describe().get(5, TimeUnit.SECONDS);
    first.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    // Down long enough for gRPC's reconnect backoff to grow past several seconds; the other
    // replica answers meanwhile.
    for (int i = 0; i < 40; i++) {
      assertEquals(8, describe().get(5, TimeUnit.SECONDS).getShard());
      Thread.sleep(100);
    }
    replica(7, 0, firstPort);
    Thread.sleep(3 * ShardGroup.RECONNECT_MILLIS);
    second.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    for (int i = 0; i < 10; i++) {
      assertEquals(7, describe().get(5, TimeUnit.SECONDS).getShard(), "call " + i);
    }
  }
}
