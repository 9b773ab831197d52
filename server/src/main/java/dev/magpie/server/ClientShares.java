package dev.magpie.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Calls in flight per client, and how many clients are calling: what the concurrency limit needs to
 * keep one client from holding every slot ({@link ConcurrencyLimitInterceptor}). Thread-safe: a
 * call costs a map lookup and two atomic updates; whichever call finds it due recounts the active
 * clients (at most ten times a second) and forgets those long idle.
 */
final class ClientShares {
  /** A client is active while it has a call in flight or called within this long. */
  static final long ACTIVE_NANOS = 1_000_000_000L;

  private static final long SWEEP_EVERY_NANOS = 100_000_000L;
  private static final long FORGET_NANOS = 10_000_000_000L;

  /** One client's calls. */
  static final class Share {
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long lastSeen;

    Share(long now) {
      this.lastSeen = now;
    }

    /** Its calls holding a slot now. */
    int inFlight() {
      return inFlight.get();
    }

    /** Takes a slot for a call of its unless it already holds {@code cap}; whether it took one. */
    boolean tryTake(int cap) {
      for (int held = inFlight.get(); held < cap; held = inFlight.get()) {
        if (inFlight.compareAndSet(held, held + 1)) {
          return true;
        }
      }
      return false;
    }

    /** A call of its gave its slot back. */
    void gaveBack() {
      inFlight.decrementAndGet();
    }
  }

  private final ConcurrentHashMap<String, Share> clients = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;
  private final AtomicLong lastSweep;
  private volatile int active = 1;

  ClientShares(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.lastSweep = new AtomicLong(nanoClock.getAsLong());
  }

  /** The share of {@code client}, which is calling now. */
  Share calling(String client) {
    long now = nanoClock.getAsLong();
    Share share = clients.get(client);
    if (share == null) {
      share = clients.computeIfAbsent(client, c -> new Share(now));
      active = Math.max(active, countActive(now)); // a new client counts at once
    }
    share.lastSeen = now;
    long last = lastSweep.get();
    if (now - last > SWEEP_EVERY_NANOS && lastSweep.compareAndSet(last, now)) {
      clients.values().removeIf(s -> s.inFlight() == 0 && now - s.lastSeen > FORGET_NANOS);
      active = countActive(now);
    }
    return share;
  }

  /** Clients calling lately (at least 1). */
  int active() {
    return active;
  }

  private int countActive(long now) {
    int count = 0;
    for (Share s : clients.values()) {
      if (s.inFlight() > 0 || now - s.lastSeen <= ACTIVE_NANOS) {
        count++;
      }
    }
    return Math.max(1, count);
  }
}
