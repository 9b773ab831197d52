package dev.magpie.server;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.Message;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Identical read calls (searches, recommendations, similar items) share one computation: a call
 * arriving while the same request is being answered waits for that answer instead of computing it
 * again (coalescing: the herd of agents asking the same thing costs one computation), and answers
 * are kept for a short while after (a cache of hot results; a failure is removed, not kept). One
 * per {@link Engine}, so a reload starts empty and no answer outlives its snapshot; keyed by the
 * snapshot view's epoch, so no answer from before a live update is served after it. Requests are
 * compared as whole messages (of different types, so never equal across methods). Thread-safe.
 */
final class AnswerCache {
  private final AsyncCache<Key, Outcome> cache;
  private final LongAdder hits = new LongAdder();
  private final LongAdder coalesced = new LongAdder();
  private final LongAdder degraded = new LongAdder();

  /**
   * @param ttl how long an answer is kept after it is computed (zero: shared only while in flight)
   * @param maxEntries the most answers kept
   */
  AnswerCache(Duration ttl, long maxEntries) {
    this.cache =
        Caffeine.newBuilder()
            .expireAfterWrite(ttl)
            .maximumSize(maxEntries)
            .executor(Runnable::run)
            .buildAsync();
  }

  /** What {@link #answer} did for one call. */
  enum Source {
    /** Computed by this call. */
    COMPUTED,
    /** Shared with an identical call in flight. */
    COALESCED,
    /** A kept answer. */
    CACHED
  }

  /**
   * How a computation ended: a response, or the failure of the call that computed it. Failures are
   * values here, never exceptional futures, so the cache neither keeps nor logs them (a stream of
   * bad requests must not become a stream of stack traces).
   *
   * @param response the response, or null after a failure
   * @param failure what went wrong, or null
   */
  record Outcome(Message response, Exception failure) {}

  /**
   * An answer to one call and where it came from.
   *
   * @param outcome completes with the computation's outcome
   * @param source where it came from
   */
  record Answer(CompletableFuture<Outcome> outcome, Source source) {}

  /**
   * A request, the brownout level it is answered at (a degraded answer is not a full one) and the
   * view's epoch (an answer from before a live update is never served after it).
   */
  private record Key(Message request, int level, long epoch) {}

  /**
   * The answer to {@code request} at brownout {@code level}: a kept or in-flight one, else {@code
   * compute} run by this call.
   */
  Answer answer(Message request, int level, long epoch, Callable<? extends Message> compute) {
    if (level > 0) {
      degraded.increment();
    }
    Key key = new Key(request, level, epoch);
    CompletableFuture<Outcome> mine = new CompletableFuture<>();
    CompletableFuture<Outcome> shared = cache.get(key, (k, executor) -> mine);
    if (shared != mine) {
      boolean done = shared.isDone();
      (done ? hits : coalesced).increment();
      return new Answer(shared, done ? Source.CACHED : Source.COALESCED);
    }
    Outcome outcome;
    try {
      outcome = new Outcome(compute.call(), null);
    } catch (Exception e) {
      cache.asMap().remove(key, mine);
      outcome = new Outcome(null, e);
    } catch (Error e) {
      cache.asMap().remove(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
    mine.complete(outcome);
    return new Answer(mine, Source.COMPUTED);
  }

  /** Calls answered from kept answers. */
  long hits() {
    return hits.sum();
  }

  /** Searches answered at a brownout level above 0. */
  long degraded() {
    return degraded.sum();
  }

  /** Calls that shared an identical call's computation. */
  long coalesced() {
    return coalesced.sum();
  }
}
