package dev.magpie.server;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.common.util.concurrent.SettableFuture;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The replicas of one shard, as the router calls them: one replica per call in turn; a second one
 * when the first has not answered within its recent p95 (a hedge, within a budget of extra calls);
 * the next one at once when a replica fails (a killed or restarting replica costs its callers
 * nothing while another is up). The first answer wins and the others are cancelled. Thread-safe;
 * owns its replicas.
 */
final class ShardGroup implements AutoCloseable {
  /** Hedges allowed per call made, over time: at most this share of extra load. */
  static final double HEDGE_SHARE = 0.1;

  /** Hedges allowed beyond the share (a burst at start, or after a quiet spell). */
  static final long HEDGE_BURST = 10;

  private final int shard;
  private final List<ShardReplica> replicas;
  private final ScheduledExecutorService timer;
  private final AtomicInteger turn = new AtomicInteger();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong hedges = new AtomicLong();
  private final AtomicLong failovers = new AtomicLong();
  private final ScheduledFuture<?> reconnecting;

  /** How often replicas that cannot be reached are tried again. */
  static final long RECONNECT_MILLIS = 250;

  ShardGroup(int shard, List<ShardReplica> replicas, ScheduledExecutorService timer) {
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException("shard " + shard + " has no replica");
    }
    this.shard = shard;
    this.replicas = List.copyOf(replicas);
    this.timer = timer;
    // A replica that cannot be reached gets no calls while another can, so no call would tell its
    // channel to reconnect: it is told every 250 ms instead of waiting out gRPC's backoff, which
    // grows to two minutes, and takes calls again soon after it is back.
    this.reconnecting =
        timer.scheduleWithFixedDelay(
            () -> this.replicas.forEach(ShardReplica::reconnectIfUnreachable),
            RECONNECT_MILLIS,
            RECONNECT_MILLIS,
            TimeUnit.MILLISECONDS);
  }

  int shard() {
    return shard;
  }

  List<ShardReplica> replicas() {
    return replicas;
  }

  /** Hedged calls sent so far. */
  long hedges() {
    return hedges.get();
  }

  /** Calls sent to another replica after one failed. */
  long failovers() {
    return failovers.get();
  }

  /** One call to a replica, given the nanoseconds left before the caller's deadline. */
  @FunctionalInterface
  interface Rpc<T> {
    ListenableFuture<T> send(ShardReplica replica, long remainingNanos);
  }

  /**
   * Calls the shard: the answer of the first replica to answer, or the last failure when every
   * replica tried failed or the deadline passed.
   *
   * @param deadlineNanos the {@link System#nanoTime()} by which an answer is needed
   */
  <T> ListenableFuture<T> call(Rpc<T> rpc, long deadlineNanos) {
    calls.incrementAndGet();
    Attempts<T> attempts =
        new Attempts<>(rpc, deadlineNanos, Math.floorMod(turn.getAndIncrement(), replicas.size()));
    if (!attempts.launch()) {
      // No time left to send even one call: fail now rather than leave the answer pending.
      attempts.result.setException(
          Status.DEADLINE_EXCEEDED
              .withDescription("no time left to call shard " + shard)
              .asRuntimeException());
    }
    return attempts.result;
  }

  private boolean mayHedge() {
    long allowed = (long) (calls.get() * HEDGE_SHARE) + HEDGE_BURST;
    while (true) {
      long h = hedges.get();
      if (h >= allowed) {
        return false;
      }
      if (hedges.compareAndSet(h, h + 1)) {
        return true;
      }
    }
  }

  /** The replicas tried for one call. */
  private final class Attempts<T> {
    final SettableFuture<T> result = SettableFuture.create();
    final Rpc<T> rpc;
    final long deadlineNanos;
    final AtomicInteger launched = new AtomicInteger();
    final AtomicInteger outstanding = new AtomicInteger();
    final List<ListenableFuture<T>> inFlight = new CopyOnWriteArrayList<>();
    volatile Throwable lastFailure;

    /** The replicas in the order tried: by turn, those reachable now first. */
    final List<ShardReplica> order;

    Attempts(Rpc<T> rpc, long deadlineNanos, int first) {
      this.rpc = rpc;
      this.deadlineNanos = deadlineNanos;
      List<ShardReplica> reachable = new ArrayList<>(replicas.size());
      List<ShardReplica> waiting = new ArrayList<>(0);
      for (int i = 0; i < replicas.size(); i++) {
        ShardReplica r = replicas.get((first + i) % replicas.size());
        (r.reachable() ? reachable : waiting).add(r);
      }
      reachable.addAll(waiting);
      this.order = reachable;
      result.addListener(this::cancelOthers, MoreExecutors.directExecutor());
    }

    /** Sends to the next replica not yet tried; false when none is left or time is up. */
    boolean launch() {
      int i = launched.getAndIncrement();
      long remaining = deadlineNanos - System.nanoTime();
      if (i >= replicas.size() || remaining <= 0 || result.isDone()) {
        return false;
      }
      ShardReplica replica = order.get(i);
      outstanding.incrementAndGet();
      long start = System.nanoTime();
      ListenableFuture<T> call = rpc.send(replica, remaining);
      inFlight.add(call);
      Futures.addCallback(
          call,
          new FutureCallback<>() {
            @Override
            public void onSuccess(T value) {
              replica.answered((System.nanoTime() - start) / 1000);
              result.set(value);
            }

            @Override
            public void onFailure(Throwable t) {
              lastFailure = t;
              if (Status.fromThrowable(t).getCode() == Status.Code.UNAVAILABLE) {
                replica.failed();
              }
              if (!result.isDone() && retryable(t) && launch()) {
                failovers.incrementAndGet();
              }
              // Counted after the next launch: no call left in flight means none will answer. (A
              // call launched here may already have failed, fast, on an unreachable replica, and
              // left this one to say so.)
              if (outstanding.decrementAndGet() == 0) {
                result.setException(lastFailure);
              }
            }
          },
          MoreExecutors.directExecutor());
      if (i == 0 && replicas.size() > 1) {
        long delay = replica.hedgeDelayMicros();
        if (TimeUnit.MICROSECONDS.toNanos(delay) < remaining) {
          timer.schedule(
              () -> {
                if (!result.isDone() && mayHedge() && !launch()) {
                  hedges.decrementAndGet();
                }
              },
              delay,
              TimeUnit.MICROSECONDS);
        }
      }
      return true;
    }

    private void cancelOthers() {
      for (ListenableFuture<T> f : inFlight) {
        if (!f.isDone()) {
          f.cancel(true);
        }
      }
    }
  }

  /** Whether another replica may answer where this one failed: not for a bad request. */
  static boolean retryable(Throwable t) {
    Status.Code code = Status.fromThrowable(t).getCode();
    return code != Status.Code.INVALID_ARGUMENT
        && code != Status.Code.PERMISSION_DENIED
        && code != Status.Code.UNAUTHENTICATED
        && code != Status.Code.CANCELLED;
  }

  @Override
  public void close() {
    reconnecting.cancel(false);
    for (ShardReplica r : replicas) {
      r.close();
    }
  }
}
