package dev.magpie.server;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The current {@link Engine}, swapped atomically by a reload. A call takes the current engine with
 * {@link #acquire()} and gives it back when done; a swap never waits for calls, and the engine it
 * replaces closes its snapshot when its last call finishes. Thread-safe, lock-free.
 */
final class Engines {
  private final AtomicReference<Engine> current;

  Engines(Engine first) {
    this.current = new AtomicReference<>(first);
  }

  /** The current engine, with a reference the caller must {@link Engine#release()}. */
  Engine acquire() {
    while (true) {
      Engine e = current.get();
      if (e.tryAcquire()) {
        return e;
      }
      // swapped and closed between get and acquire: the next get sees its successor
      if (current.get() == e) {
        throw new IllegalStateException("the server is shut down");
      }
    }
  }

  /** The current engine, without a reference (for reading what it is, not for running on it). */
  Engine current() {
    return current.get();
  }

  /**
   * Makes {@code next} current and drops the server's reference to the one it replaces, returned.
   */
  Engine swap(Engine next) {
    Engine old = current.getAndSet(next);
    old.release();
    return old;
  }

  /** Drops the server's reference to the current engine (at shutdown). */
  void close() {
    current.get().release();
  }
}
