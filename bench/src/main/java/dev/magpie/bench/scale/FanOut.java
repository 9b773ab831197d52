package dev.magpie.bench.scale;

import java.util.Random;
import java.util.function.LongToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * Tail at scale, computed from one shard's measured latency distribution: a routed search waits for
 * the slowest of its S shard calls, so with shards answering independently its latency is at most x
 * with probability F(x)^S, F the shard's distribution. With hedging as the router does it (a second
 * replica asked after the first's p95, the first answer taken) one shard call takes min(L1, d +
 * L2), at most x with probability 1 - (1 - F(x))(1 - F(x - d)). Quantiles come from these formulas
 * by bisection, exactly for the model (no sampling noise); {@link #sampled} draws the same thing at
 * random, to check it. Independence is the model's optimism: slowness that hits every shard at once
 * (a shared host, a burst, a collector pause everywhere) is not in it.
 */
public final class FanOut {
  private final Histogram shard;

  /** The model over one shard call's latencies, in microseconds. */
  public FanOut(Histogram shard) {
    if (shard.getTotalCount() == 0) {
      throw new IllegalArgumentException("no latencies recorded");
    }
    this.shard = shard;
  }

  /** F(x): the share of shard calls answered within {@code micros}. */
  double cdf(long micros) {
    if (micros < 0) {
      return 0;
    }
    // Values at or below x, over all: HdrHistogram's count within x's bucket.
    return (double) shard.getCountBetweenValues(0, micros) / shard.getTotalCount();
  }

  /** The shard's {@code percentile} (0 to 100), in microseconds. */
  public long shardPercentile(double percentile) {
    return shard.getValueAtPercentile(percentile);
  }

  /** One shard call's CDF when hedged after {@code hedgeMicros} (negative: never). */
  double hedgedCdf(long micros, long hedgeMicros) {
    double first = cdf(micros);
    if (hedgeMicros < 0 || micros < hedgeMicros) {
      return first;
    }
    return 1 - (1 - first) * (1 - cdf(micros - hedgeMicros));
  }

  /**
   * The {@code percentile} of a routed search's shard phase over {@code shards} shards, in
   * microseconds.
   *
   * @param hedgeMicros when the second replica is asked; negative: no hedging
   */
  public long percentile(int shards, double percentile, long hedgeMicros) {
    double p = percentile / 100;
    LongToDoubleFunction all = x -> cdf(shards, x, hedgeMicros);
    long lo = 0;
    long hi = shard.getMaxValue() + Math.max(0, hedgeMicros) + 1;
    while (all.applyAsDouble(hi) < p) {
      hi *= 2;
    }
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (all.applyAsDouble(mid) >= p) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** The share of routed searches over {@code shards} shards answered within {@code micros}. */
  double cdf(int shards, long micros, long hedgeMicros) {
    return Math.pow(hedgedCdf(micros, hedgeMicros), shards);
  }

  /** The share of shard calls that are hedged: those not answered by the hedge delay. */
  public double hedgedShare(long hedgeMicros) {
    return 1 - cdf(hedgeMicros);
  }

  /**
   * The same quantity drawn at random: {@code queries} routed searches, each the slowest of {@code
   * shards} calls drawn from the distribution (hedged as above).
   */
  public Histogram sampled(int shards, long hedgeMicros, int queries, Random random) {
    Histogram out = new Histogram(shard.getNumberOfSignificantValueDigits());
    for (int q = 0; q < queries; q++) {
      long slowest = 0;
      for (int s = 0; s < shards; s++) {
        long l = draw(random);
        if (hedgeMicros >= 0 && l > hedgeMicros) {
          l = Math.min(l, hedgeMicros + draw(random));
        }
        slowest = Math.max(slowest, l);
      }
      out.recordValue(slowest);
    }
    return out;
  }

  private long draw(Random random) {
    return shard.getValueAtPercentile(100.0 * random.nextDouble());
  }
}
