package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StandingLoadTest {
  private static final long W = 100;
  private static final double EPS = 1e-9;

  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong clock = new AtomicLong(1_000);
  private StandingLoad load;

  /** Starts watching at time 1,000 with {@code count} calls in flight. */
  private void start(int count) {
    inFlight.set(count);
    load = new StandingLoad(inFlight::get, clock::get, W);
  }

  private void set(long at, int count) {
    clock.set(at);
    inFlight.set(count);
    load.changed();
  }

  @Test
  void aBurstBarelyMovesTheMean() {
    start(1);
    set(1_040, 4);
    set(1_050, 1);
    clock.set(1_099);
    assertEquals(0, load.standing(), EPS, "no window has closed yet");
    clock.set(1_100);
    assertEquals(1.3, load.standing(), EPS, "4 for a tenth of the window, 1 for the rest");
  }

  @Test
  void aLimitFullThroughAWholeWindowReadsAsTheLimit() {
    start(4);
    set(1_050, 3);
    set(1_051, 4);
    clock.set(1_100);
    assertEquals(3.99, load.standing(), EPS, "one call ended and another came 1 later");
    clock.set(1_150);
    assertEquals(3.99, load.standing(), EPS, "the window still open does not count yet");
  }

  @Test
  void aQuietWindowReadsAsTheCountItHeld() {
    start(3);
    set(1_050, 0);
    clock.set(1_500);
    assertEquals(0, load.standing(), EPS, "no change for four windows: the last one held 0");
    set(1_510, 4);
    clock.set(1_610);
    assertEquals(400.0 / 110, load.standing(), EPS, "the window opened by the read at 1,500");
  }

  @Test
  void rejectsAWindowThatIsNotPositive() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new StandingLoad(() -> 0, () -> 0, 0));
    assertEquals("windowNanos must be positive, got 0", e.getMessage());
  }

  /**
   * Against an exact oracle: a random step function of the count, read at random times; each read
   * that closes a window returns the count's integral over it divided by its length (or the count
   * the last whole window held, when no change came for two windows or more).
   */
  @Test
  void matchesTheTimeAverageOverTheLastWindowOnRandomSchedules() {
    long seed = new Random().nextLong();
    System.out.println("StandingLoadTest seed " + seed);
    Random random = new Random(seed);
    for (int trial = 0; trial < 500; trial++) {
      int steps = 1 + random.nextInt(60);
      long[] at = new long[steps];
      int[] to = new int[steps];
      long t = 0;
      for (int i = 0; i < steps; i++) {
        t += random.nextInt(random.nextBoolean() ? 8 : 160);
        at[i] = t;
        to[i] = random.nextInt(6);
      }
      int initial = random.nextInt(6);
      AtomicInteger count = new AtomicInteger(initial);
      AtomicLong now = new AtomicLong(0);
      StandingLoad tracked = new StandingLoad(count::get, now::get, W);
      long windowStart = 0;
      for (int i = 0; i < steps; i++) {
        if (random.nextInt(3) == 0) {
          // A read just before the change, at the same instant at times.
          long readAt = Math.max(i == 0 ? 0 : at[i - 1], at[i] - random.nextInt(3));
          now.set(readAt);
          double read = tracked.standing();
          if (readAt - windowStart >= W) {
            assertEquals(
                mean(initial, at, to, windowStart, readAt),
                read,
                EPS,
                "seed " + seed + ", trial " + trial + ", read at " + readAt);
            windowStart = readAt;
          }
        }
        now.set(at[i]);
        count.set(to[i]);
        tracked.changed();
        if (at[i] - windowStart >= W) {
          windowStart = at[i];
        }
      }
    }
  }

  /**
   * The count's mean over [from, end) (over its last whole window when it spans two or more), where
   * the count starts at {@code initial} and becomes {@code to[i]} at {@code at[i]}.
   */
  private static double mean(int initial, long[] at, int[] to, long from, long end) {
    long spanFrom = end - from >= 2 * W ? end - W : from;
    double integral = 0;
    int value = initial;
    long since = Long.MIN_VALUE;
    for (int i = 0; i <= at.length; i++) {
      long changeAt = i < at.length ? at[i] : Long.MAX_VALUE;
      // The count was `value` over [since, changeAt); add its overlap with [spanFrom, end).
      long lo = Math.max(since, spanFrom);
      long hi = Math.min(changeAt, end);
      if (hi > lo) {
        integral += (double) value * (hi - lo);
      }
      if (i < at.length) {
        value = to[i];
        since = changeAt;
      }
    }
    return integral / (end - spanFrom);
  }
}
