package dev.magpie.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A run's requests by the second of their intended send time: per second the answers' latencies
 * (full or degraded) and how many were shed, timed out or failed. It says when a server came back
 * after an overload: the first of {@link #RECOVERED_RUN} normal seconds in a row (p99 within {@link
 * #NORMAL_P99_RATIO} times the unloaded one or {@link #NORMAL_P99_SLACK_MS} above it; refusing no
 * more than twice the unloaded share, at least {@link #NORMAL_REFUSED_SHARE}). Recorded from any
 * thread.
 */
final class Timeline {
  /** The p99 a normal second may have, as a multiple of the unloaded p99 ... */
  static final double NORMAL_P99_RATIO = 2.0;

  /**
   * ... or this many milliseconds above it, whichever is more (one collector pause on a 2-core
   * box).
   */
  static final double NORMAL_P99_SLACK_MS = 5.0;

  private final long startNanos;
  private final Recorder[] answered;
  private final AtomicLongArray refused;

  /** A timeline of {@code seconds} seconds from {@code startNanos} ({@link System#nanoTime()}). */
  Timeline(long startNanos, int seconds) {
    this.startNanos = startNanos;
    this.answered = new Recorder[seconds];
    for (int i = 0; i < seconds; i++) {
      answered[i] = new Recorder(LatencyBook.HIGHEST_MICROS, 3);
    }
    this.refused = new AtomicLongArray(seconds);
  }

  /**
   * Records a request intended at {@code intendedNanos} that ended as {@code outcome} after {@code
   * nanos}.
   */
  void record(long intendedNanos, Outcome outcome, long nanos) {
    int second =
        (int)
            Math.min(
                answered.length - 1, Math.max(0, (intendedNanos - startNanos) / 1_000_000_000L));
    if (outcome.answered()) {
      answered[second].recordValue(
          Math.min(LatencyBook.HIGHEST_MICROS, Math.max(0, nanos / 1_000)));
    } else {
      refused.incrementAndGet(second);
    }
  }

  /** The share of a normal second's requests that may go unanswered, at least. */
  static final double NORMAL_REFUSED_SHARE = 0.02;

  /** One second: the answers' p99 in ms and the requests not answered. */
  record Second(double p99Ms, long answered, long notAnswered) {
    /**
     * Whether the p99 was at most {@code boundMs} and at most {@code refusedShare} of the second's
     * requests went unanswered.
     */
    boolean normal(double boundMs, double refusedShare) {
      return notAnswered <= refusedShare * (answered + notAnswered) && p99Ms <= boundMs;
    }
  }

  /** The seconds, in order (reads the recorders once). */
  List<Second> seconds() {
    List<Second> out = new ArrayList<>(answered.length);
    for (int i = 0; i < answered.length; i++) {
      Histogram h = answered[i].getIntervalHistogram();
      out.add(
          new Second(
              h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1_000.0,
              h.getTotalCount(),
              refused.get(i)));
    }
    return out;
  }

  /**
   * Normal seconds in a row that make a recovery: a later blip (a pause) is noise, not a relapse.
   */
  static final int RECOVERED_RUN = 3;

  /**
   * Seconds until the run was back to normal: the index of the first second that starts {@link
   * #RECOVERED_RUN} {@link Second#normal normal} seconds in a row (or normal ones through the end,
   * when fewer remain); the length when there is none.
   */
  static int normalAfter(List<Second> seconds, double boundMs, double refusedShare) {
    for (int i = 0; i < seconds.size(); i++) {
      int end = Math.min(seconds.size(), i + RECOVERED_RUN);
      boolean run = true;
      for (int j = i; j < end && run; j++) {
        run = seconds.get(j).normal(boundMs, refusedShare);
      }
      if (run) {
        return i;
      }
    }
    return seconds.size();
  }
}
