package dev.magpie.server;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Sheds load before it queues: a call to a limited service runs only while fewer calls are in
 * flight than the limit, otherwise it is answered at once with RESOURCE_EXHAUSTED and a retry hint
 * (the standard {@link Refusals#RETRY_PUSHBACK_MS} trailer, jittered so that refused callers do not
 * come back together). The limit adapts (Netflix concurrency-limits' Gradient2: it falls when
 * latency rises over its long-run level and grows while it does not) unless fixed. A call that ends
 * in time counts as a success for the limit; one past its deadline as a drop; one cancelled by its
 * caller is ignored. A method that hands its work off (a live update: checked on a request thread,
 * then waiting for the log's writer) gives its slot back when its handler returns, not when it is
 * answered: the limit guards the request threads, which a call waiting for an fsync does not hold.
 *
 * <p>Fair shares: while more than one client calls, no client may hold more than three quarters of
 * the limit (at least one slot stays for the others), so one greedy client, even with no rate limit
 * set, cannot take every slot and starve the rest. A client calling alone has the whole limit.
 * Several greedy clients together can still fill it: per-client rate limits bound each of them.
 * Thread-safe.
 */
final class ConcurrencyLimitInterceptor implements ServerInterceptor {
  /**
   * The retry hint's range: a caller is told to wait this long, plus up to as much again at random.
   */
  static final int RETRY_BASE_MS = 50;

  private final SimpleLimiter<Void> limiter;
  private final Set<String> services;
  private final Set<String> exempt;
  private final Set<String> handOff;
  private final LongAdder shed = new LongAdder();
  private final LongAdder overShare = new LongAdder();
  private final ClientShares shares = new ClientShares(System::nanoTime);
  private final StandingLoad standing;

  /**
   * @param fixedLimit the most calls in flight, or 0 for an adaptive limit starting at {@code
   *     initialLimit} and kept within {@code minLimit} to {@code maxLimit}
   * @param services the full names of the services limited (health and admin stay reachable)
   * @param exempt full names of methods of those services not limited: lookups answered on the
   *     transport thread in microseconds, which never wait for a request thread (the limit guards
   *     the request pool's queue, which they never enter)
   * @param handOff full names of methods whose slot is given back when their handler returns
   */
  ConcurrencyLimitInterceptor(
      int fixedLimit,
      int minLimit,
      int initialLimit,
      int maxLimit,
      Set<String> services,
      Set<String> exempt,
      Set<String> handOff) {
    this.limiter =
        SimpleLimiter.newBuilder()
            .named("magpie")
            .limit(
                fixedLimit > 0
                    ? FixedLimit.of(fixedLimit)
                    : Gradient2Limit.newBuilder()
                        .initialLimit(initialLimit)
                        .minLimit(minLimit)
                        .maxConcurrency(maxLimit)
                        .build())
            .build();
    this.services = Set.copyOf(services);
    this.exempt = Set.copyOf(exempt);
    this.handOff = Set.copyOf(handOff);
    this.standing =
        new StandingLoad(limiter::getInflight, System::nanoTime, StandingLoad.WINDOW_NANOS);
  }

  /**
   * The header {@link #triage} sets on a call it found over capacity: the call is then refused by
   * this interceptor on the transport thread, without waiting in the request pool's queue behind
   * the work that filled it. Any value a client sent under this name is removed first.
   */
  static final Metadata.Key<String> OVER_CAPACITY =
      Metadata.Key.of("magpie-over-capacity", Metadata.ASCII_STRING_MARSHALLER);

  private static final String LIMIT_REACHED = "limit";
  private static final String SHARE_HELD = "share";

  /**
   * Decides, on the transport thread before a call is queued, where it runs: true when it may go to
   * the request pool; false when the limit is already reached or its client already holds the most
   * slots one client may, marking the call so that it is refused at once where it is (the transport
   * thread), not after a wait in the pool's queue (a greedy client's refused herd would otherwise
   * fill that queue and hold up the calls admitted). Only a look at the counts: the call still
   * takes its slot (or not) in {@link #interceptCall}, after authentication and rate limits.
   */
  boolean triage(ServerCall<?, ?> call, Metadata headers) {
    headers.removeAll(OVER_CAPACITY);
    if (!limits(call.getMethodDescriptor())) {
      return true;
    }
    // Counted as calling even when refused: a client arriving at a full limit is what caps the
    // others.
    ClientShares.Share share = shares.calling(ClientIdentity.beforeAuthentication(call, headers));
    if (limiter.getInflight() >= limiter.getLimit()) {
      headers.put(OVER_CAPACITY, LIMIT_REACHED);
      return false;
    }
    if (share.inFlight() >= clientCap()) {
      headers.put(OVER_CAPACITY, SHARE_HELD);
      return false;
    }
    return true;
  }

  private boolean limits(MethodDescriptor<?, ?> method) {
    return services.contains(method.getServiceName())
        && !exempt.contains(method.getFullMethodName());
  }

  /** Calls refused so far. */
  long shed() {
    return shed.sum();
  }

  /**
   * Of those, calls refused because their client held its fair share with the limit nearly reached.
   */
  long shedOverShare() {
    return overShare.sum();
  }

  /** The current limit. */
  int limit() {
    return limiter.getLimit();
  }

  /** Calls in flight now. */
  int inFlight() {
    return limiter.getInflight();
  }

  /**
   * The calls in flight averaged over the last closed window ({@link StandingLoad}): the load that
   * stays, not a passing burst.
   */
  double standingInFlight() {
    return standing.standing();
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    if (!limits(call.getMethodDescriptor())) {
      return next.startCall(call, headers);
    }
    String marked = headers.get(OVER_CAPACITY);
    if (LIMIT_REACHED.equals(marked)) {
      return refuseOverCapacity(call);
    }
    ClientShares.Share share = shares.calling(ClientIdentity.beforeAuthentication(call, headers));
    // Taken atomically against the client's cap before the limit is touched: a herd from one client
    // never holds, not even for a moment, the slots kept for the others.
    if (marked != null || !share.tryTake(clientCap())) {
      shed.increment();
      overShare.increment();
      int retryMs = retryMs();
      return Refusals.refuse(
          call,
          Status.RESOURCE_EXHAUSTED.withDescription(
              "over capacity: '"
                  + ClientIdentity.of(call)
                  + "' has "
                  + share.inFlight()
                  + " calls in flight, the most one client may hold"
                  + " of a limit of "
                  + limiter.getLimit()
                  + " while "
                  + shares.active()
                  + " clients call; retry after "
                  + retryMs
                  + " ms"),
          retryMs);
    }
    Optional<Limiter.Listener> token = limiter.acquire(null);
    if (token.isEmpty()) {
      share.gaveBack();
      return refuseOverCapacity(call);
    }
    standing.changed();
    Outcome outcome = new Outcome(token.get(), share, standing);
    ServerCall<Q, A> counted =
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            outcome.closed(status);
            super.close(status, trailers);
          }
        };
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(counted, headers);
    } catch (RuntimeException e) {
      outcome.ignored();
      throw e;
    }
    boolean handsOff = handOff.contains(call.getMethodDescriptor().getFullMethodName());
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onHalfClose() {
        try {
          super.onHalfClose();
        } finally {
          if (handsOff) {
            outcome.handedOff();
          }
        }
      }

      @Override
      public void onCancel() {
        outcome.ignored();
        super.onCancel();
      }
    };
  }

  private <Q, A> ServerCall.Listener<Q> refuseOverCapacity(ServerCall<Q, A> call) {
    shed.increment();
    int retryMs = retryMs();
    return Refusals.refuse(
        call,
        Status.RESOURCE_EXHAUSTED.withDescription(
            "over capacity: "
                + limiter.getInflight()
                + " calls in flight at a limit of "
                + limiter.getLimit()
                + "; retry after "
                + retryMs
                + " ms"),
        retryMs);
  }

  /**
   * The most slots one client may hold: all of them while it calls alone, else all but a quarter
   * (at least one), which stay for the others.
   */
  private int clientCap() {
    int limit = limiter.getLimit();
    return shares.active() < 2 ? Integer.MAX_VALUE : Math.max(1, limit - Math.max(1, limit / 4));
  }

  private static int retryMs() {
    return RETRY_BASE_MS + ThreadLocalRandom.current().nextInt(RETRY_BASE_MS + 1);
  }

  /** Reports one call's end to the limiter, and gives its client's slot back, exactly once. */
  private static final class Outcome {
    private final Limiter.Listener token;
    private final ClientShares.Share share;
    private final StandingLoad standing;
    private final AtomicBoolean reported = new AtomicBoolean();

    Outcome(Limiter.Listener token, ClientShares.Share share, StandingLoad standing) {
      this.token = token;
      this.share = share;
      this.standing = standing;
    }

    void closed(Status status) {
      report(
          switch (status.getCode()) {
            case DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED -> Limiter.Listener::onDropped;
            case CANCELLED -> Limiter.Listener::onIgnore;
            default -> Limiter.Listener::onSuccess;
          });
    }

    void ignored() {
      report(Limiter.Listener::onIgnore);
    }

    /**
     * The handler returned, its work handed off: the slot is free, the request thread's time a
     * success.
     */
    void handedOff() {
      report(Limiter.Listener::onSuccess);
    }

    /** The first report only: the client's slot back, the limiter told, the load recounted. */
    private void report(Consumer<Limiter.Listener> end) {
      if (reported.compareAndSet(false, true)) {
        share.gaveBack();
        end.accept(token);
        standing.changed();
      }
    }
  }
}
