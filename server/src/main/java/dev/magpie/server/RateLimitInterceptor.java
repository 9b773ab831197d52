package dev.magpie.server;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Per-client rate limits, so that one greedy caller cannot take the capacity others need: each
 * client (its API key's name, or its IP address when the server runs without keys) has a token
 * bucket of {@code burst} calls refilled at {@code perSecond}; a call finding it empty is refused
 * at once with RESOURCE_EXHAUSTED naming the client and the limit, and a {@link
 * Refusals#RETRY_PUSHBACK_MS} trailer saying when the next token comes. Buckets of clients idle
 * long enough to be full again are dropped when there are many, at most once a second. Thread-safe.
 */
final class RateLimitInterceptor implements ServerInterceptor {
  /** Buckets kept before idle ones are swept. */
  static final int SWEEP_ABOVE = 100_000;

  /** The least time between sweeps. */
  private static final long SWEEP_EVERY_NANOS = 1_000_000_000L;

  private final double perSecond;
  private final int burst;
  private final Set<String> services;
  private final LongSupplier nanoClock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final LongAdder refused = new LongAdder();
  private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE / 2);

  /**
   * @param perSecond calls per second per client, above 0
   * @param burst calls a client may make at once after being idle, 1 or more
   * @param services the full names of the services limited
   */
  RateLimitInterceptor(double perSecond, int burst, Set<String> services, LongSupplier nanoClock) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException(
          "rate limit: calls per second must be above 0 and burst 1 or more, got "
              + perSecond
              + " and "
              + burst);
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
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    if (!services.contains(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    String client = ClientIdentity.of(call);
    long now = nanoClock.getAsLong();
    long last = lastSweep.get();
    if (buckets.size() > SWEEP_ABOVE
        && now - last > SWEEP_EVERY_NANOS
        && lastSweep.compareAndSet(last, now)) {
      buckets
          .values()
          .removeIf(b -> b.fullAt(now)); // one caller a second pays for it, not every call
    }
    long waitNanos = buckets.computeIfAbsent(client, c -> new Bucket(burst, now)).take(now);
    if (waitNanos > 0) {
      refused.increment();
      long retryMs = Math.max(1, (waitNanos + 999_999) / 1_000_000);
      return Refusals.refuse(
          call,
          Status.RESOURCE_EXHAUSTED.withDescription(
              "rate limit: '"
                  + client
                  + "' may make "
                  + perSecond
                  + " calls a second (bursts of "
                  + burst
                  + "); retry after "
                  + retryMs
                  + " ms"),
          retryMs);
    }
    return next.startCall(call, headers);
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
