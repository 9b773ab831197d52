package dev.magpie.bench.load;

import java.util.EnumMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies by operation and outcome, recorded from any thread into HdrHistogram recorders (µs, up
 * to a minute, 3 significant digits), read once at the end.
 */
final class LatencyBook {
  static final long HIGHEST_MICROS = 60_000_000L;

  private final Map<Operation, Map<Outcome, Recorder>> recorders = new EnumMap<>(Operation.class);

  LatencyBook() {
    for (Operation op : Operation.values()) {
      Map<Outcome, Recorder> byOutcome = new EnumMap<>(Outcome.class);
      for (Outcome o : Outcome.values()) {
        byOutcome.put(o, new Recorder(HIGHEST_MICROS, 3));
      }
      recorders.put(op, byOutcome);
    }
  }

  /** Records one request that took {@code nanos} from its intended send time. */
  void record(Operation op, Outcome outcome, long nanos) {
    recorders
        .get(op)
        .get(outcome)
        .recordValue(Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1_000)));
  }

  /** Everything recorded since the last call, by operation and outcome (resets the recorders). */
  Map<Operation, Map<Outcome, Histogram>> drain() {
    Map<Operation, Map<Outcome, Histogram>> out = new EnumMap<>(Operation.class);
    recorders.forEach(
        (op, byOutcome) -> {
          Map<Outcome, Histogram> h = new EnumMap<>(Outcome.class);
          byOutcome.forEach((o, r) -> h.put(o, r.getIntervalHistogram()));
          out.put(op, h);
        });
    return out;
  }
}
