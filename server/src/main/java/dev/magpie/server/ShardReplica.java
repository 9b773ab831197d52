package dev.magpie.server;

import dev.magpie.api.v1.ShardGrpc;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * One replica of a shard as the router sees it: its channel, stubs, and how long it has taken to
 * answer lately (p95 of the last window, for hedging). Owns its channel; {@link #close()} shuts it.
 */
final class ShardReplica implements AutoCloseable {
  /** How long a latency window lasts before the next replaces it. */
  private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** The hedge delay before any latency is known. */
  static final long DEFAULT_HEDGE_MICROS = 20_000;

  /** The least hedge delay: below it a second call mostly duplicates work. */
  static final long MIN_HEDGE_MICROS = 500;

  private final String address;
  private final ManagedChannel channel;
  private volatile ShardGrpc.ShardFutureStub shard;
  private final Recorder latency = new Recorder(3);
  private volatile long p95Micros = -1;
  private volatile long windowStart = System.nanoTime();
  private final AtomicLong lastReconnect = new AtomicLong(System.nanoTime() - RECONNECT_NANOS);

  /** The least time between two reconnects forced by failed calls. */
  private static final long RECONNECT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  ShardReplica(String host, int port) {
    this(host, port, ShardAccess.PLAINTEXT);
  }

  /** A replica reached as {@code access} says (TLS or plaintext, with a key or none). */
  ShardReplica(String host, int port, ShardAccess access) {
    this.address = host + ":" + port;
    this.channel = access.channel(host, port);
    ShardGrpc.ShardFutureStub shardStub = ShardGrpc.newFutureStub(channel);
    if (access.key() != null) {
      Metadata headers = new Metadata();
      headers.put(AuthInterceptor.AUTHORIZATION, "Bearer " + access.key());
      shardStub = shardStub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    this.shard = shardStub;
  }

  /** "host:port". */
  String address() {
    return address;
  }

  ShardGrpc.ShardFutureStub shard() {
    return shard;
  }

  /**
   * Names the load the router routes on every later call ({@link BuildGuard}): should this replica
   * come to serve another (restarted on a fold that added or withdrew items), it refuses the calls
   * and the router asks another replica, instead of answering about other items.
   */
  synchronized void expect(String build) {
    Metadata headers = new Metadata();
    headers.put(BuildGuard.BUILD, build);
    shard = shard.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** Records an answer that took {@code micros}. */
  void answered(long micros) {
    latency.recordValue(Math.max(1, micros));
    long now = System.nanoTime();
    if (now - windowStart > WINDOW_NANOS) {
      synchronized (this) {
        if (now - windowStart > WINDOW_NANOS) {
          windowStart = now;
          var window = latency.getIntervalHistogram();
          if (window.getTotalCount() >= 20) {
            p95Micros = window.getValueAtPercentile(95);
          }
        }
      }
    }
  }

  /**
   * Whether calls to this replica may succeed now: its channel is not waiting out a reconnect
   * backoff after failing to connect.
   */
  boolean reachable() {
    return channel.getState(false) != ConnectivityState.TRANSIENT_FAILURE;
  }

  /**
   * After a call failed UNAVAILABLE: lets the channel reconnect at once instead of after its
   * backoff (which grows to minutes), at most every 100 ms, so that a replica restarted on its port
   * takes calls again as soon as it listens.
   */
  void failed() {
    long now = System.nanoTime();
    long last = lastReconnect.get();
    if (now - last >= RECONNECT_NANOS && lastReconnect.compareAndSet(last, now)) {
      channel.resetConnectBackoff();
    }
  }

  /** Tells the channel to reconnect now when it is waiting out a backoff. */
  void reconnectIfUnreachable() {
    if (!reachable()) {
      channel.resetConnectBackoff();
    }
  }

  /** How long to wait for this replica before hedging to another: its recent p95. */
  long hedgeDelayMicros() {
    long p95 = p95Micros;
    return p95 < 0 ? DEFAULT_HEDGE_MICROS : Math.max(MIN_HEDGE_MICROS, p95);
  }

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
