package dev.magpie.server;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The load that stays: the calls in flight averaged over time through the last closed window. A
 * burst of arrivals fills every request thread for a few milliseconds and barely moves the mean; an
 * overload keeps the threads full the whole window, and the mean sits at the limit. Brownout reads
 * this, not the count this instant, so that a chance burst at moderate load does not degrade
 * answers. (The window's minimum, CoDel's measure of a standing queue, does not work for a count of
 * calls in flight: every call that ends dips it by one for a moment even under overload.)
 *
 * <p>Exact for a count that changes only where {@link #changed} is called: the count is constant
 * between two calls, so the integral is a sum of rectangles. Windows roll lazily, on the first call
 * or read after one ends; a window that saw no change for two windows or more reads as the count it
 * held. Thread-safe: changes take a lock (two per call admitted, uncontended at thousands per
 * second); reads within a window do not.
 */
final class StandingLoad {
  /** The window: long enough to span a burst, short enough to react within a tenth of a second. */
  static final long WINDOW_NANOS = 100_000_000L;

  private final IntSupplier inFlight;
  private final LongSupplier clock;
  private final long windowNanos;
  private volatile long windowStart;
  private volatile double mean;
  private long lastChange;
  private int held;
  private double integral;

  /**
   * @param inFlight the count watched
   * @param clock nanoseconds, monotonic
   * @param windowNanos the window's length
   */
  StandingLoad(IntSupplier inFlight, LongSupplier clock, long windowNanos) {
    if (windowNanos <= 0) {
      throw new IllegalArgumentException("windowNanos must be positive, got " + windowNanos);
    }
    this.inFlight = inFlight;
    this.clock = clock;
    this.windowNanos = windowNanos;
    long now = clock.getAsLong();
    this.windowStart = now;
    this.lastChange = now;
    this.held = inFlight.getAsInt();
  }

  /** Records the count after it changed (a call admitted or ended). */
  synchronized void changed() {
    advance(clock.getAsLong());
    held = inFlight.getAsInt();
  }

  /** The mean count of calls in flight over the last closed window. */
  double standing() {
    long now = clock.getAsLong();
    if (now - windowStart >= windowNanos) {
      synchronized (this) {
        advance(now);
      }
    }
    return mean;
  }

  /** Adds the count held since the last change to the integral, and closes the window if due. */
  private void advance(long now) {
    integral += (double) held * (now - lastChange);
    lastChange = now;
    long span = now - windowStart;
    if (span >= windowNanos) {
      // Two windows or more without a change: the count was {@code held} all through the last one.
      mean = span >= 2 * windowNanos ? held : integral / span;
      windowStart = now;
      integral = 0;
    }
  }
}
