package dev.magpie.bench.load;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.ItemUpdate;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.NewItem;
import dev.magpie.api.v1.RecommendRequest;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.UpdateItemsRequest;
import io.grpc.Status;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One open-loop run: request i is due at start + i / rate whatever happened to the ones before (the
 * generator never waits for answers), and its latency is counted from that intended time, so a
 * server that stalls is charged for every request it delayed (no coordinated omission). Requests go
 * out through the non-blocking stub; answers are recorded by the transport thread that receives
 * them. Bounded: at most {@code maxInFlight} requests outstanding (beyond that a request is
 * recorded as a client-side error, not sent), and the run ends at its duration plus the deadline.
 */
final class OpenLoopRun {
  /**
   * What to send.
   *
   * @param rate requests per second
   * @param duration how long to send
   * @param mix weights of the operations
   * @param k hits or items per search and recommendation
   * @param deadline each request's deadline
   * @param maxInFlight outstanding requests at most
   */
  record Settings(
      double rate, Duration duration, double[] mix, int k, Duration deadline, int maxInFlight) {
    /** Requests the run sends. */
    long requests() {
      return (long) Math.floor(rate * duration.toNanos() / 1e9);
    }
  }

  /**
   * What the run did.
   *
   * @param sent requests sent
   * @param dropped requests not sent because too many were outstanding
   * @param seconds from the first intended send to the last answer
   * @param maxLagMicros how late the generator was at worst in sending a request
   */
  record Result(long sent, long dropped, double seconds, long maxLagMicros) {}

  /** How long before a request's intended time the generator stops parking and spins. */
  static final long SPIN_NANOS = 100_000;

  private final MagpieGrpc.MagpieFutureStub stub;
  private final Settings settings;
  private final List<String> queries;
  private final List<String> ids;
  private final Random random;

  /** The mix's running sums, to pick an operation with one draw. */
  private final double[] cumulative;

  private final AtomicInteger inFlight = new AtomicInteger();

  /** Ids of added items: this run's start time, then a counter (the generator thread only). */
  private final String addedPrefix = "load-" + Long.toString(System.currentTimeMillis(), 36) + "-";

  private long added;

  OpenLoopRun(
      MagpieGrpc.MagpieFutureStub stub,
      Settings settings,
      List<String> queries,
      List<String> ids,
      Random random) {
    this.stub = stub;
    this.settings = settings;
    this.queries = queries;
    this.ids = ids;
    this.random = random;
    this.cumulative = settings.mix().clone();
    Arrays.parallelPrefix(cumulative, Double::sum);
  }

  /** The start of a run that begins now, for a {@link Timeline} made before it: now plus 5 ms. */
  static long startNow() {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
  }

  /**
   * Runs from {@code start} ({@link System#nanoTime()}), recording every request in {@code book}
   * and, when not null, in {@code timeline} too.
   */
  Result run(LatencyBook book, Timeline timeline, long start) throws InterruptedException {
    long period = (long) (1e9 / settings.rate());
    long total = settings.requests();
    long dropped = 0;
    long maxLag = 0;
    for (long i = 0; i < total; i++) {
      long intended = start + i * period;
      // Park until shortly before the intended time, then spin: a parked thread wakes up to ~50 µs
      // late (timer slack), which would be charged to every sub-millisecond request.
      for (long wait = intended - System.nanoTime();
          wait > SPIN_NANOS;
          wait = intended - System.nanoTime()) {
        LockSupport.parkNanos(wait - SPIN_NANOS);
      }
      while (System.nanoTime() < intended) {
        Thread.onSpinWait();
      }
      maxLag = Math.max(maxLag, System.nanoTime() - intended);
      Operation op = pick();
      if (inFlight.get() >= settings.maxInFlight()) {
        record(book, timeline, op, Outcome.ERROR, intended);
        dropped++;
        continue;
      }
      send(op, intended, book, timeline);
    }
    long deadline = System.nanoTime() + settings.deadline().toNanos() + TimeUnit.SECONDS.toNanos(5);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    return new Result(total - dropped, dropped, (System.nanoTime() - start) / 1e9, maxLag / 1_000);
  }

  private Operation pick() {
    double r = random.nextDouble() * cumulative[cumulative.length - 1];
    for (int i = 0; i < cumulative.length; i++) {
      if (r < cumulative[i]) {
        return Operation.values()[i];
      }
    }
    return Operation.SEARCH;
  }

  private void send(Operation op, long intended, LatencyBook book, Timeline timeline) {
    MagpieGrpc.MagpieFutureStub s =
        stub.withDeadlineAfter(settings.deadline().toNanos(), TimeUnit.NANOSECONDS);
    ListenableFuture<?> future =
        switch (op) {
          case SEARCH ->
              s.search(
                  SearchRequest.newBuilder()
                      .setQuery(queries.get(random.nextInt(queries.size())))
                      .setK(settings.k())
                      .build());
          case GET -> {
            GetItemsRequest.Builder b = GetItemsRequest.newBuilder();
            for (int i = 0; i < 5; i++) {
              b.addIds(ids.get(random.nextInt(ids.size())));
            }
            yield s.getItems(b.build());
          }
          case RECOMMEND ->
              s.recommend(
                  RecommendRequest.newBuilder()
                      .setUser("load-" + random.nextInt(1_000))
                      .addContext(ids.get(random.nextInt(ids.size())))
                      .setK(settings.k())
                      .build());
          case UPDATE ->
              s.updateItems(
                  UpdateItemsRequest.newBuilder()
                      .addUpdates(
                          ItemUpdate.newBuilder()
                              .setItemId(ids.get(random.nextInt(ids.size())))
                              .setStock(1 + random.nextInt(100)))
                      .build());
          case ADD ->
              s.updateItems(
                  UpdateItemsRequest.newBuilder()
                      .addUpdates(
                          ItemUpdate.newBuilder()
                              .setItemId(addedPrefix + added++)
                              .setStock(1 + random.nextInt(100))
                              .setNewItem(
                                  NewItem.newBuilder()
                                      .setTitle(queries.get(random.nextInt(queries.size())))))
                      .build());
        };
    inFlight.incrementAndGet();
    future.addListener(
        () -> {
          inFlight.decrementAndGet();
          record(book, timeline, op, outcome(future), intended);
        },
        MoreExecutors.directExecutor());
  }

  /** A request intended at {@code intended} ended now as {@code outcome}. */
  private static void record(
      LatencyBook book, Timeline timeline, Operation op, Outcome outcome, long intended) {
    long nanos = System.nanoTime() - intended;
    book.record(op, outcome, nanos);
    if (timeline != null) {
      timeline.record(intended, outcome, nanos);
    }
  }

  private static Outcome outcome(ListenableFuture<?> done) {
    try {
      done.get();
      return Outcome.OK;
    } catch (ExecutionException e) {
      Status.Code code = Status.fromThrowable(e.getCause()).getCode();
      return code == Status.Code.RESOURCE_EXHAUSTED
          ? Outcome.SHED
          : code == Status.Code.DEADLINE_EXCEEDED ? Outcome.TIMEOUT : Outcome.ERROR;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.ERROR;
    }
  }
}
