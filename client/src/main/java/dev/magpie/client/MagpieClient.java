package dev.magpie.client;

import com.google.common.util.concurrent.ListenableFuture;
import dev.magpie.api.v1.AdminGrpc;
import dev.magpie.api.v1.CompareItemsRequest;
import dev.magpie.api.v1.CompareItemsResponse;
import dev.magpie.api.v1.CompleteBasketRequest;
import dev.magpie.api.v1.CompleteBasketResponse;
import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.GetItemsResponse;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.RecommendRequest;
import dev.magpie.api.v1.RecommendResponse;
import dev.magpie.api.v1.RecordEventsRequest;
import dev.magpie.api.v1.RecordEventsResponse;
import dev.magpie.api.v1.ReloadRequest;
import dev.magpie.api.v1.ReloadResponse;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.SearchResponse;
import dev.magpie.api.v1.SimilarItemsRequest;
import dev.magpie.api.v1.StatsRequest;
import dev.magpie.api.v1.StatsResponse;
import dev.magpie.api.v1.UpdateItemsRequest;
import dev.magpie.api.v1.UpdateItemsResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A client of a Magpie server: one channel (HTTP/2, plaintext or TLS), the API key sent with every
 * call, a deadline on every call, and retries of calls the server refused before running them
 * (RESOURCE_EXHAUSTED from its concurrency or rate limit), after the delay the server asks for in
 * its {@code grpc-retry-pushback-ms} trailer. Nothing else is retried: an update or event that
 * failed for another reason may have been applied. A call's thread waits for the answer parked, or
 * (with {@link Builder#spinWait}) spinning first for a bounded time, as a low-latency caller with a
 * core to spare wants: no thread then has to wake it. Thread-safe; close it to release the channel.
 */
public final class MagpieClient implements AutoCloseable {
  /** The trailer in which the server says when to retry. */
  static final Metadata.Key<String> RETRY_PUSHBACK_MS =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  /** The longest pushback the client waits for before giving up instead. */
  static final long MAX_PUSHBACK_MS = 5_000;

  private final ManagedChannel channel;
  private final Duration deadline;
  private final int maxRetries;
  private final long spinNanos;
  private final AdminGrpc.AdminFutureStub admin;
  private final HealthGrpc.HealthFutureStub health;
  private final MagpieGrpc.MagpieFutureStub async;

  private MagpieClient(Builder b) throws IOException {
    NettyChannelBuilder channelBuilder = NettyChannelBuilder.forAddress(b.host, b.port);
    if (b.trustedCertificates != null) {
      File pem = b.trustedCertificates.toFile();
      channelBuilder.sslContext(GrpcSslContexts.forClient().trustManager(pem).build());
    } else {
      channelBuilder.usePlaintext();
    }
    // Answers complete their futures on the network thread that read them: one hand-off fewer.
    this.channel = channelBuilder.directExecutor().build();
    this.deadline = b.deadline;
    this.maxRetries = b.maxRetries;
    this.spinNanos = b.spinWait.toNanos();
    this.admin = withKey(AdminGrpc.newFutureStub(channel), b.apiKey);
    this.health = HealthGrpc.newFutureStub(channel);
    this.async = withKey(MagpieGrpc.newFutureStub(channel), b.apiKey);
  }

  private static <S extends AbstractStub<S>> S withKey(S stub, String apiKey) {
    if (apiKey == null) {
      return stub;
    }
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** A client of the server at {@code host}:{@code port}; see {@link Builder}. */
  public static Builder connect(String host, int port) {
    return new Builder(host, port);
  }

  /** Settings of a {@link MagpieClient}. */
  public static final class Builder {
    private final String host;
    private final int port;
    private String apiKey;
    private Path trustedCertificates;
    private Duration deadline = Duration.ofSeconds(10);
    private int maxRetries = 2;
    private Duration spinWait = Duration.ZERO;

    private Builder(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("port: must be from 1 to 65535, got " + port);
      }
      this.port = port;
    }

    /** Sends {@code key} as {@code authorization: Bearer KEY}; null sends none. */
    public Builder apiKey(String key) {
      this.apiKey = key;
      return this;
    }

    /** Talks TLS, trusting the certificates in the PEM file {@code pem}; plaintext by default. */
    public Builder tls(Path pem) {
      this.trustedCertificates = pem;
      return this;
    }

    /** Each call's deadline (10 s by default). */
    public Builder deadline(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("deadline: must be positive, got " + value);
      }
      this.deadline = value;
      return this;
    }

    /** Retries of a call the server refused before running it (2 by default; 0: none). */
    public Builder maxRetries(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("maxRetries: must be 0 or more, got " + value);
      }
      this.maxRetries = value;
      return this;
    }

    /**
     * How long a call's thread spins for the answer before it parks (0, the default: it parks at
     * once). Spinning spares the wake-up of a parked thread, the largest part of a lookup's round
     * trip on loopback (GrpcBenchmark: GetItems p50 121 us parked, 52 us spinning), at the cost of
     * a busy core while it waits: for callers with cores to spare.
     */
    public Builder spinWait(Duration value) {
      if (value.isNegative()) {
        throw new IllegalArgumentException("spinWait: must be 0 or more, got " + value);
      }
      this.spinWait = value;
      return this;
    }

    /** Opens the channel (connections are made on the first call). */
    public MagpieClient build() throws IOException {
      return new MagpieClient(this);
    }
  }

  /** Hybrid search. */
  public SearchResponse search(SearchRequest request) {
    return call(() -> magpie().search(request));
  }

  /** The top {@code k} hits for {@code query}, reranked. */
  public SearchResponse search(String query, int k) {
    return search(SearchRequest.newBuilder().setQuery(query).setK(k).build());
  }

  /** Items by id, in the order asked; ids not in the catalog are listed as missing. */
  public GetItemsResponse getItems(List<String> ids) {
    GetItemsRequest request = GetItemsRequest.newBuilder().addAllIds(ids).build();
    return call(() -> magpie().getItems(request));
  }

  /** Recommendations. */
  public RecommendResponse recommend(RecommendRequest request) {
    return call(() -> magpie().recommend(request));
  }

  /** Items like item {@code id}. */
  public RecommendResponse similarItems(String id, int k) {
    SimilarItemsRequest request = SimilarItemsRequest.newBuilder().setId(id).setK(k).build();
    return call(() -> magpie().similarItems(request));
  }

  /** Items compared, for {@code user} when not null. */
  public CompareItemsResponse compare(List<String> ids, String user) {
    CompareItemsRequest request =
        CompareItemsRequest.newBuilder().addAllIds(ids).setUser(user == null ? "" : user).build();
    return call(() -> magpie().compareItems(request));
  }

  /** A cart completed to a threshold. */
  public CompleteBasketResponse completeBasket(CompleteBasketRequest request) {
    return call(() -> magpie().completeBasket(request));
  }

  /** Price, stock and availability changes (a write key); answered once durable and applied. */
  public UpdateItemsResponse updateItems(UpdateItemsRequest request) {
    return call(() -> magpie().updateItems(request));
  }

  /** Shoppers' events (a write key); answered once durable and applied. */
  public RecordEventsResponse recordEvents(RecordEventsRequest request) {
    return call(() -> magpie().recordEvents(request));
  }

  /** What the server serves (an admin key). */
  public StatsResponse stats() {
    return call(() -> admin().stats(StatsRequest.getDefaultInstance()));
  }

  /**
   * Switches the server to the snapshot {@code path} (empty: its store's live version; an admin
   * key).
   */
  public ReloadResponse reload(String path) {
    ReloadRequest request = ReloadRequest.newBuilder().setSnapshot(path).build();
    return call(() -> admin().reload(request));
  }

  /** The server's health (standard gRPC health checking; no key needed). */
  public HealthCheckResponse.ServingStatus health() {
    return call(() -> healthStub().check(HealthCheckRequest.getDefaultInstance())).getStatus();
  }

  /**
   * The non-blocking stub over this client's channel and key, for callers that pipeline (load
   * generators). Its futures complete on the channel's network thread: keep listeners short, or
   * give them an executor.
   */
  public MagpieGrpc.MagpieFutureStub async() {
    return async;
  }

  private MagpieGrpc.MagpieFutureStub magpie() {
    return async.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  private AdminGrpc.AdminFutureStub admin() {
    return admin.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  private HealthGrpc.HealthFutureStub healthStub() {
    return health.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Runs {@code call}, retrying refusals as the server asks, at most {@code maxRetries} times. */
  private <T> T call(Supplier<ListenableFuture<T>> call) {
    for (int attempt = 0; ; attempt++) {
      try {
        return await(call.get());
      } catch (StatusRuntimeException e) {
        long wait = pushbackMs(e);
        if (attempt >= maxRetries
            || e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED
            || wait < 0
            || wait > MAX_PUSHBACK_MS) {
          throw e;
        }
        try {
          Thread.sleep(wait);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * The answer of a call: spun for up to the builder's spin wait, then parked for. A failed call
   * throws its {@link StatusRuntimeException} (trailers included), as a blocking stub would; an
   * interrupted wait cancels the call.
   */
  private <T> T await(ListenableFuture<T> answer) {
    if (spinNanos > 0) {
      long start = System.nanoTime();
      while (!answer.isDone() && System.nanoTime() - start < spinNanos) {
        Thread.onSpinWait();
      }
    }
    try {
      return answer.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException failed) {
        throw failed;
      }
      throw Status.UNKNOWN.withCause(e.getCause()).asRuntimeException();
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw Status.CANCELLED
          .withDescription("interrupted while waiting for the answer")
          .withCause(e)
          .asRuntimeException();
    }
  }

  /** The pushback the server asked for, or -1 when none. */
  static long pushbackMs(StatusRuntimeException e) {
    Metadata trailers = e.getTrailers();
    String value = trailers == null ? null : trailers.get(RETRY_PUSHBACK_MS);
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException bad) {
      return -1;
    }
  }

  /** Closes the channel, giving calls in flight up to 5 s. */
  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
