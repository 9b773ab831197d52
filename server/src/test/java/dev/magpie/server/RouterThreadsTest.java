package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import dev.magpie.api.v1.CandidatesRequest;
import dev.magpie.api.v1.CandidatesResponse;
import dev.magpie.api.v1.DescribeRequest;
import dev.magpie.api.v1.DescribeResponse;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.SearchResponse;
import dev.magpie.api.v1.ShardGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The router holds no thread while its shards work: with one request thread, ten searches over
 * shards that each take half a second are all answered in about half a second, not one after the
 * other (five seconds).
 */
class RouterThreadsTest {
  private static final long SHARD_MILLIS = 500;

  /** A shard that answers Describe at once and every Candidates call, empty, after a while. */
  private static Server slowShard(int shard, int shards, ScheduledExecutorService later)
      throws Exception {
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(
            new ShardGrpc.ShardImplBase() {
              @Override
              public void describe(
                  DescribeRequest request, StreamObserver<DescribeResponse> response) {
                response.onNext(
                    DescribeResponse.newBuilder()
                        .setShard(shard)
                        .setShards(shards)
                        .setBuild("b")
                        .build());
                response.onCompleted();
              }

              @Override
              public void candidates(
                  CandidatesRequest request, StreamObserver<CandidatesResponse> response) {
                later.schedule(
                    () -> {
                      response.onNext(
                          CandidatesResponse.newBuilder()
                              .setFusionMethod("rrf")
                              .setTextWeight(1f)
                              .setFusionCandidates(10)
                              .setSearchedText(request.getQuery())
                              .setTextRan(true)
                              .build());
                      response.onCompleted();
                    },
                    SHARD_MILLIS,
                    TimeUnit.MILLISECONDS);
              }
            })
        .build()
        .start();
  }

  @Test
  void searchesWaitingOnShardsHoldNoRouterThread() throws Exception {
    ScheduledExecutorService later = Executors.newScheduledThreadPool(2);
    List<Server> shards = new ArrayList<>();
    try {
      List<List<RouterServer.Replica>> replicas = new ArrayList<>();
      for (int s = 0; s < 2; s++) {
        Server shard = slowShard(s, 2, later);
        shards.add(shard);
        replicas.add(List.of(new RouterServer.Replica("127.0.0.1", shard.getPort())));
      }
      try (RouterServer router =
          RouterServer.start(
              replicas,
              ServerConfig.builder()
                  .host("127.0.0.1")
                  .port(0)
                  .threads(1)
                  .maxConcurrency(64)
                  .build())) {
        ManagedChannel channel =
            NettyChannelBuilder.forAddress("127.0.0.1", router.port()).usePlaintext().build();
        try {
          MagpieGrpc.MagpieFutureStub stub = MagpieGrpc.newFutureStub(channel);
          long start = System.nanoTime();
          List<ListenableFuture<SearchResponse>> all = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            all.add(
                stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                    .search(SearchRequest.newBuilder().setQuery("lamp " + i).setK(5).build()));
          }
          for (ListenableFuture<SearchResponse> f : all) {
            assertEquals(2, f.get(30, TimeUnit.SECONDS).getCoverage().getShardsAnswered());
          }
          long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          assertTrue(
              millis < 4 * SHARD_MILLIS,
              "10 searches took " + millis + " ms on one router thread (one after the other: 5 s)");
        } finally {
          channel.shutdownNow();
        }
      }
    } finally {
      for (Server s : shards) {
        s.shutdownNow();
      }
      later.shutdownNow();
    }
  }
}
