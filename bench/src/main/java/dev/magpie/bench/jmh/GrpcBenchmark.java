package dev.magpie.bench.jmh;

import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.GetItemsResponse;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.SearchResponse;
import dev.magpie.client.MagpieClient;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.server.MagpieServer;
import dev.magpie.server.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Round trips to the real server over loopback, one caller thread: {@code getItems} looks up one
 * item by id with a plain blocking stub (the target: p50 at most 100 us, client and server
 * warmed), {@code getItemsClient} the same through {@link dev.magpie.client.MagpieClient}, parked,
 * and {@code getItemsClientSpinning} spinning for the answer; {@code search} a hybrid search of 10
 * hits with the reranker. The server runs in the benchmark's JVM on its own threads (Netty event
 * loop, the request pool); the client is a plaintext channel to 127.0.0.1.
 *
 * <p>Snapshot: {@code -Dmagpie.bench.snapshot=DIR} (any store or version; e.g. the sample after
 * {@code magpie load}): {@code MAGPIE_JAVA_OPTS=-Dmagpie.bench.snapshot=var/snapshots ./magpie jmh
 * Grpc -f 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class GrpcBenchmark {
  private static final String[] QUERIES = {
    "tent", "running shoes", "coffee maker", "sleeping bag", "headlamp"
  };

  private MagpieServer server;
  private ManagedChannel channel;
  private MagpieGrpc.MagpieBlockingStub stub;
  private MagpieClient parked;
  private MagpieClient spinning;
  private List<List<String>> ids;
  private GetItemsRequest[] lookups;
  private int next;

  /** Starts the server on the snapshot and connects a client. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Snapshot snapshot =
        BenchSnapshot.open("Grpc", "any snapshot, e.g. the sample after magpie load");
    int n = snapshot.items().size();
    lookups = new GetItemsRequest[1024];
    for (int i = 0; i < lookups.length; i++) {
      lookups[i] =
          GetItemsRequest.newBuilder()
              .addIds(snapshot.items().externalId((int) ((i * 2654435761L) % n)))
              .build();
    }
    server = MagpieServer.start(snapshot, ServerConfig.builder().build());
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    stub = MagpieGrpc.newBlockingStub(channel);
    parked = MagpieClient.connect("127.0.0.1", server.port()).build();
    spinning =
        MagpieClient.connect("127.0.0.1", server.port()).spinWait(Duration.ofMillis(1)).build();
    ids = Arrays.stream(lookups).<List<String>>map(r -> List.copyOf(r.getIdsList())).toList();
  }

  /** Closes the client and the server (which closes the snapshot). */
  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    parked.close();
    spinning.close();
    server.close();
  }

  /** One item by id. */
  @Benchmark
  public GetItemsResponse getItems() {
    next = (next + 1) & (lookups.length - 1);
    return stub.getItems(lookups[next]);
  }

  /**
   * One item by id through {@link dev.magpie.client.MagpieClient}, the caller parked until the
   * answer.
   */
  @Benchmark
  public GetItemsResponse getItemsClient() {
    next = (next + 1) & (lookups.length - 1);
    return parked.getItems(ids.get(next));
  }

  /**
   * As {@link #getItemsClient}, the caller spinning for the answer (up to 1 ms) instead of parking.
   */
  @Benchmark
  public GetItemsResponse getItemsClientSpinning() {
    next = (next + 1) & (lookups.length - 1);
    return spinning.getItems(ids.get(next));
  }

  /** A hybrid search of 10 hits, reranked. */
  @Benchmark
  public SearchResponse search() {
    next = (next + 1) & (lookups.length - 1);
    return stub.search(
        SearchRequest.newBuilder().setQuery(QUERIES[next % QUERIES.length]).setK(10).build());
  }
}
