package dev.magpie.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.testing.Seeded;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The fan-out model against exact answers: a two-valued distribution whose tails over S shards are
 * known in closed form, and random draws of the same model for a heavy-tailed one.
 */
@Seeded
class FanOutTest {
  @Test
  void aTwoValuedShardGivesTheClosedFormTails() {
    // 99% of calls take 1 ms, 1% take 100 ms.
    Histogram h = new Histogram(3);
    h.recordValueWithCount(1_000, 9_900);
    h.recordValueWithCount(100_000, 100);
    FanOut model = new FanOut(h);
    // One shard: its own percentiles.
    assertEquals(1.0, model.percentile(1, 99, -1) / 1000.0, 0.001);
    assertEquals(100.0, model.percentile(1, 99.5, -1) / 1000.0, 0.1);
    // 100 shards: all answer within 1 ms with probability 0.99^100 = 0.366.
    assertEquals(1.0, model.percentile(100, 36, -1) / 1000.0, 0.001);
    assertEquals(100.0, model.percentile(100, 37, -1) / 1000.0, 0.1);
    // Hedged after 1 ms: a slow call becomes min(100 ms, 1 ms + a second draw), so each shard is
    // within 2 ms with probability 0.9999 and 100 shards with 0.9999^100 = 0.99005; beyond that,
    // 100 ms (never 101: the first call answers by then).
    assertEquals(2.0, model.percentile(100, 99, 1_000) / 1000.0, 0.01);
    assertEquals(100.0, model.percentile(100, 99.1, 1_000) / 1000.0, 0.1);
    assertEquals(0.01, model.hedgedShare(1_000), 1e-9);
  }

  @Test
  void theFormulasAgreeWithRandomDraws(Random random) {
    Histogram h = new Histogram(3);
    for (int i = 0; i < 200_000; i++) {
      // A body around 2 ms and a long tail, as measured shards show.
      double ms =
          2 * Math.exp(0.4 * random.nextGaussian())
              + (random.nextInt(50) == 0 ? 40 * random.nextDouble() : 0);
      h.recordValue((long) (ms * 1000));
    }
    FanOut model = new FanOut(h);
    long hedge = model.shardPercentile(95);
    for (int shards : new int[] {1, 16, 64}) {
      for (long d : new long[] {-1, hedge}) {
        Histogram drawn = model.sampled(shards, d, 40_000, random);
        // The draws' quantile sits where the formula's distribution says it should, within the
        // draws' sampling error (a few standard errors of a proportion over 40,000 draws).
        for (double p : new double[] {50, 90, 99}) {
          long got = drawn.getValueAtPercentile(p);
          double at = model.cdf(shards, got, d);
          double tolerance = 4 * Math.sqrt(p / 100 * (1 - p / 100) / 40_000) + 0.002;
          assertEquals(
              p / 100,
              at,
              tolerance,
              "S="
                  + shards
                  + " hedge "
                  + d
                  + " p"
                  + p
                  + ": draws "
                  + got
                  + " µs, formula's share "
                  + at);
        }
      }
    }
    assertTrue(
        model.percentile(64, 99, hedge) < model.percentile(64, 99, -1),
        "hedging cuts the tail at 64 shards");
  }
}
