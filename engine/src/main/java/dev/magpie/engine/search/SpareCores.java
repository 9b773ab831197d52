package dev.magpie.engine.search;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs part of a search (the vector channel) on another core while the caller runs the rest (the
 * text channel), but only while cores are free: a search asks {@link #enter()} when it starts, and
 * work is handed off only while fewer searches are in flight than the process has cores. Under load
 * every search then runs on its own thread, as it did before, and hand-offs (a queue and a wake-up,
 * some microseconds) cost nothing; at low load one search takes about the longer channel's time
 * instead of both channels' added. One process-wide pool ({@link #shared()}), so servers, shards
 * and benchmarks in one JVM count the same cores; {@link #NONE} never hands off.
 */
public final class SpareCores {
  /** Never hands off: every search runs its channels one after the other. */
  public static final SpareCores NONE = new SpareCores(0);

  private static final class Shared {
    static final SpareCores INSTANCE = new SpareCores(Runtime.getRuntime().availableProcessors());
  }

  private final int cores;
  private final ExecutorService threads;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong handedOff = new AtomicLong();

  private SpareCores(int cores) {
    this.cores = cores;
    this.threads = cores < 2 ? null : Executors.newFixedThreadPool(cores, daemons());
  }

  /** The process-wide pool, one thread per core, started on first use. */
  public static SpareCores shared() {
    return Shared.INSTANCE;
  }

  private static ThreadFactory daemons() {
    AtomicInteger next = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, "magpie-search-channel-" + next.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Counts a search in flight until {@link Entered#close()}; its {@link Entered#offload} hands work
   * off only if, counting it, no more searches are in flight than there are cores.
   */
  public Entered enter() {
    int now = inFlight.incrementAndGet();
    return new Entered(threads != null && 2 * now <= cores);
  }

  /** Searches in flight now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Tasks handed off to a spare core so far. */
  public long handedOff() {
    return handedOff.get();
  }

  /** One search in flight. */
  public final class Entered implements AutoCloseable {
    private final boolean spare;
    private boolean closed;

    private Entered(boolean spare) {
      this.spare = spare;
    }

    /** Whether a core was free at the search's start, so that {@link #offload} would hand off. */
    public boolean mayOffload() {
      return spare && !closed;
    }

    /**
     * {@code task} started on a spare core, or null when none was free at the search's start (the
     * caller then runs it itself).
     */
    public <T> Future<T> offload(Callable<T> task) {
      if (!mayOffload()) {
        return null;
      }
      FutureTask<T> future = new FutureTask<>(task);
      threads.execute(future);
      handedOff.incrementAndGet();
      return future;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        inFlight.decrementAndGet();
      }
    }
  }
}
