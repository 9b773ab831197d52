package dev.magpie.engine;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reference count that starts at one (the owner's) and runs {@code onLastRelease} once, when the
 * last reference is given back; after that no reference can be taken. Lock-free: {@link
 * #tryAcquire()} retries a compare-and-set, so a reader never waits on the writer that releases.
 */
public final class RefCount {
  private final AtomicInteger references = new AtomicInteger(1);
  private final String what;
  private final Runnable onLastRelease;

  /**
   * @param what names the counted thing in the error of a release without an acquire
   * @param onLastRelease runs once, on the thread that gives the last reference back
   */
  public RefCount(String what, Runnable onLastRelease) {
    this.what = what;
    this.onLastRelease = onLastRelease;
  }

  /** Takes a reference; false when the last one was already given back. */
  public boolean tryAcquire() {
    for (int r = references.get(); r > 0; r = references.get()) {
      if (references.compareAndSet(r, r + 1)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Gives a reference back; the last one runs {@code onLastRelease}.
   *
   * @throws IllegalStateException when more references are given back than were taken
   */
  public void release() {
    int left = references.decrementAndGet();
    if (left == 0) {
      onLastRelease.run();
    } else if (left < 0) {
      throw new IllegalStateException(what + " released more often than acquired");
    }
  }

  /** Whether the last reference has been given back. */
  public boolean released() {
    return references.get() <= 0;
  }
}
