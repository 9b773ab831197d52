package dev.magpie.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One open-loop run: request i is due at start + i / rate whatever happened to the ones before (the
 * generator never waits for answers), and its latency is counted from that intended time, so a
 * server that stalls is charged for every request it delayed (no coordinated omission). Requests go
 * out through a {@link LoadTarget}, which never blocks the generator; answers are recorded by the
 * thread that completes them. Bounded: at most {@code maxInFlight} requests outstanding (beyond
 * that a request is recorded as a client-side error, not sent), and the run ends at its duration
 * plus the deadline.
 */
final class OpenLoopRun {
  /**
   * What to send.
   *
   * @param rate requests per second
   * @param duration how long to send
   * @param mix weights of the operations
   * @param k hits or items per search and recommendation
   * @param deadline each request's deadline (the target applies it; the run waits for answers that
   *     long, plus 5 s, after its last request)
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

  private final LoadTarget target;
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
      LoadTarget target, Settings settings, List<String> queries, List<String> ids, Random random) {
    this.target = target;
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
    CompletableFuture<Outcome> ended =
        switch (op) {
          case SEARCH -> target.search(queries.get(random.nextInt(queries.size())), settings.k());
          case GET -> {
            List<String> some = new ArrayList<>(5);
            for (int i = 0; i < 5; i++) {
              some.add(ids.get(random.nextInt(ids.size())));
            }
            yield target.get(some);
          }
          case RECOMMEND ->
              target.recommend(
                  "load-" + random.nextInt(1_000),
                  ids.get(random.nextInt(ids.size())),
                  settings.k());
          case UPDATE ->
              target.update(ids.get(random.nextInt(ids.size())), 1 + random.nextInt(100));
          case ADD ->
              target.add(
                  addedPrefix + added++,
                  queries.get(random.nextInt(queries.size())),
                  1 + random.nextInt(100));
        };
    inFlight.incrementAndGet();
    ended.thenAccept(
        outcome -> {
          inFlight.decrementAndGet();
          record(book, timeline, op, outcome, intended);
        });
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
}
