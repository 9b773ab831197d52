package dev.magpie.bench.load;

import java.util.EnumMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One stretch of a load run at one rate: what was sent, and the latencies by operation and outcome,
 * with the sums over operations the modes judge by (goodput, shed fraction, admitted p99).
 *
 * @param name what the stretch was for ("step 3", "baseline", "overload", "recovery")
 * @param rate requests per second asked
 * @param result what the generator did
 * @param book latencies by operation and outcome, in microseconds
 */
record Phase(
    String name,
    double rate,
    OpenLoopRun.Result result,
    Map<Operation, Map<Outcome, Histogram>> book) {

  /** Every operation's latencies of {@code outcome}, merged. */
  Histogram all(Outcome outcome) {
    Histogram merged = new Histogram(LatencyBook.HIGHEST_MICROS, 3);
    for (Map<Outcome, Histogram> byOutcome : book.values()) {
      merged.add(byOutcome.get(outcome));
    }
    return merged;
  }

  /** The latencies of every answer, full or degraded, merged over operations. */
  Histogram answers() {
    Histogram merged = all(Outcome.OK);
    merged.add(all(Outcome.DEGRADED));
    return merged;
  }

  /** Answers per second, full or degraded. */
  double answeredPerSecond() {
    return (count(Outcome.OK) + count(Outcome.DEGRADED)) / result.seconds();
  }

  /** The {@code percentile} of every answer's latency, full or degraded, in ms (0 when none). */
  double answeredMs(double percentile) {
    Histogram h = answers();
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  /** Requests that ended with {@code outcome}. */
  long count(Outcome outcome) {
    long n = 0;
    for (Map<Outcome, Histogram> byOutcome : book.values()) {
      n += byOutcome.get(outcome).getTotalCount();
    }
    return n;
  }

  /** Requests accounted for (sent, or dropped as too many were outstanding). */
  long total() {
    long n = 0;
    for (Outcome o : Outcome.values()) {
      n += count(o);
    }
    return n;
  }

  /** Full answers per second: the goodput. */
  double okPerSecond() {
    return count(Outcome.OK) / result.seconds();
  }

  /** The share of requests that ended with {@code outcome}, 0 to 1. */
  double fraction(Outcome outcome) {
    long total = total();
    return total == 0 ? 0 : (double) count(outcome) / total;
  }

  /**
   * The {@code percentile} of {@code outcome}'s latencies over every operation, in ms (0 when
   * none).
   */
  double ms(Outcome outcome, double percentile) {
    Histogram h = all(outcome);
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  /** The worst {@code outcome} latency in ms (0 when none). */
  double maxMs(Outcome outcome) {
    Histogram h = all(outcome);
    return h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0;
  }

  /** Counts by outcome, for reports. */
  Map<Outcome, Long> counts() {
    Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      counts.put(o, count(o));
    }
    return counts;
  }
}
