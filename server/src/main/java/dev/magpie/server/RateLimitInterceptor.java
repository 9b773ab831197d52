package dev.magpie.server;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Per-client rate limits, so that one greedy caller cannot take the capacity others need: each client
 * (its API key's name, or its IP address when the server runs without keys) has a token bucket of
 * {@code burst} calls refilled at {@code perSecond}; a call finding it empty is refused at once with
 * RESOURCE_EXHAUSTED naming the client and the limit, and a {@code grpc-retry-pushback-ms} trailer
 * saying when the next token comes. Buckets of clients idle long enough to be full again are dropped
 * when there are many. Thread-safe.
 */
final class RateLimitInterceptor implements ServerInterceptor {
  /** Buckets kept before idle ones are swept. */
  static final int SWEEP_ABOVE = 100_000;

  private final double perSecond;
  private final int burst;
  private final Set<String> services;
  private final LongSupplier nanoClock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final LongAdder refused = new LongAdder();

  /**
   * @param perSecond calls per second per client, above 0
   * @param burst calls a client may make at once after being idle, 1 or more
   * @param services the full names of the services limited
   */
  RateLimitInterceptor(double perSecond, int burst, Set<String> services, LongSupplier nanoClock) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("rate limit: calls per second must be above 0 and burst 1 or more, got "
          + perSecond + " and " + burst);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.services = Set.copyOf(services);
    this.nanoClock = nanoClock;
  }

  /** Calls refused so far. */
  long refused() {
    return refused.sum();
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    if (!services.contains(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    String client = client(call);
    long now = nanoClock.getAsLong();
    if (buckets.size() > SWEEP_ABOVE) {
      buckets.values().removeIf(b -> b.fullAt(now));
    }
    long waitNanos = buckets.computeIfAbsent(client, c -> new Bucket(burst, now)).take(now);
    if (waitNanos > 0) {
      refused.increment();
      long retryMs = Math.max(1, (waitNanos + 999_999) / 1_000_000);
      Metadata trailers = new Metadata();
      trailers.put(ConcurrencyLimitInterceptor.RETRY_PUSHBACK_MS, Long.toString(retryMs));
      call.close(Status.RESOURCE_EXHAUSTED.withDescription("rate limit: '" + client + "' may make " + perSecond
          + " calls a second (bursts of " + burst + "); retry after " + retryMs + " ms"), trailers);
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }

  /** The caller's API key name, or its IP address. */
  private static String client(ServerCall<?, ?> call) {
    ApiKeys.Client authenticated = AuthInterceptor.CLIENT.get();
    if (authenticated != null) {
      return authenticated.name();
    }
    SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    return peer instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(peer);
  }

  /** One client's tokens. */
  private final class Bucket {
    private double tokens;
    private long updated;

    Bucket(int tokens, long now) {
      this.tokens = tokens;
      this.updated = now;
    }

    /** Takes a token: 0 when there was one, else the nanoseconds until there will be. */
    synchronized long take(long now) {
      tokens = Math.min(burst, tokens + (now - updated) * perSecond / 1e9);
      updated = now;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / perSecond * 1e9);
    }

    synchronized boolean fullAt(long now) {
      return tokens + (now - updated) * perSecond / 1e9 >= burst;
    }
  }
}
