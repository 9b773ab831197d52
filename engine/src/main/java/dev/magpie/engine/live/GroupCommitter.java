package dev.magpie.engine.live;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The single writer of a {@link WriteAheadLog}: callers {@link #submit} batches of updates from any
 * thread; a named writer thread appends every batch waiting, forces the log to disk once for all of
 * them (group commit), applies each update in log order, and only then completes the batches'
 * futures. So an acknowledged update is durable and already visible, updates apply in exactly the
 * order they are replayed after a crash, and readers never wait: they read the columns the writer
 * changes, never a lock it holds. {@link #exclusive} runs a task on the writer thread between
 * commits (a snapshot reload, which must replay the log's tail with no commit in between).
 *
 * <p>When the log fails to write or sync, every batch in that commit fails and so does every later
 * one: what reached the disk is unknown, so nothing more is acknowledged until restart.
 */
public final class GroupCommitter implements AutoCloseable {
  /** Batches waiting at most before {@link #submit} refuses more. */
  public static final int DEFAULT_QUEUE = 4096;

  private static final Logger LOG = Logger.getLogger(GroupCommitter.class.getName());

  /** Applies durable updates to whatever is being served. */
  @FunctionalInterface
  public interface Applier {
    /**
     * Applies record {@code sequence}. Called on the writer thread only, in sequence order; a
     * runtime exception is logged and counted, and the record stays in the log.
     */
    void apply(long sequence, LiveUpdate update);

    /** Called after every update of one commit has been applied, before any caller hears of it. */
    default void committed(long lastSequence) {}
  }

  private sealed interface Task {}

  private record Batch(List<LiveUpdate> updates, CompletableFuture<Long> done) implements Task {}

  private record Exclusive<T>(Callable<T> work, CompletableFuture<T> done) implements Task {
    void run() {
      try {
        done.complete(work.call());
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    }
  }

  private record Stop() implements Task {}

  private static final Task STOP = new Stop();

  private final WriteAheadLog log;
  private final Applier applier;
  private final BlockingQueue<Task> queue;
  private final Thread writer;
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong applyFailures = new AtomicLong();
  private volatile IOException failure;
  private volatile boolean closed;

  /** Starts the writer thread, named {@code threadName}, over {@code log} (owned from now on). */
  public GroupCommitter(WriteAheadLog log, Applier applier, String threadName) {
    this(log, applier, threadName, DEFAULT_QUEUE);
  }

  /** As above, with room for {@code queueCapacity} waiting batches. */
  public GroupCommitter(WriteAheadLog log, Applier applier, String threadName, int queueCapacity) {
    this.log = log;
    this.applier = applier;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.writer = Thread.ofPlatform().name(threadName).daemon(false).unstarted(this::run);
    writer.start();
  }

  /**
   * Logs, syncs and applies {@code updates} (in order, with whatever else is waiting); the future
   * completes with the last record's sequence once all of that is done, or fails with the log's
   * {@link IOException}.
   *
   * @throws RejectedExecutionException when the queue is full (try again shortly)
   * @throws IllegalStateException when the log has failed or is closed
   */
  public CompletableFuture<Long> submit(List<LiveUpdate> updates) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    enqueue(new Batch(List.copyOf(updates), done));
    return done;
  }

  /** Runs {@code work} on the writer thread between commits. */
  public <T> CompletableFuture<T> exclusive(Callable<T> work) {
    CompletableFuture<T> done = new CompletableFuture<>();
    enqueue(new Exclusive<>(work, done));
    return done;
  }

  private void enqueue(Task task) {
    // Under the lock close() takes to stop the writer: nothing is queued behind its stop, so every
    // accepted task is run or failed.
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the write-ahead log in " + log.dir() + " is closed");
      }
      IOException failed = failure;
      if (failed != null) {
        throw new IllegalStateException(
            "the write-ahead log in "
                + log.dir()
                + " failed: "
                + failed.getMessage()
                + "; updates are refused until the server restarts");
      }
      if (!queue.offer(task)) {
        throw new RejectedExecutionException(
            queue.size() + " update batches already waiting for the log");
      }
    }
  }

  /** Commits so far (each one fsync). */
  public long commits() {
    return commits.get();
  }

  /** Records committed so far. */
  public long records() {
    return records.get();
  }

  /** Records that failed to apply (logged; they stay in the log). */
  public long applyFailures() {
    return applyFailures.get();
  }

  /** The log's last sequence as the writer last saw it. */
  public long lastSequence() {
    return log.lastSequence();
  }

  /** The log's failure, or null while healthy. */
  public IOException failure() {
    return failure;
  }

  private void run() {
    List<Batch> group = new ArrayList<>();
    try {
      while (true) {
        Task task = queue.take();
        while (task instanceof Batch batch) {
          group.add(batch);
          task = queue.poll();
        }
        commit(group);
        group.clear();
        if (task == STOP) {
          return;
        }
        if (task instanceof Exclusive<?> exclusive) {
          exclusive.run();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      failRemaining(
          new IllegalStateException("the write-ahead log in " + log.dir() + " is closed"));
    }
  }

  private void commit(List<Batch> group) {
    if (group.isEmpty()) {
      return;
    }
    if (failure != null) {
      fail(group, failure);
      return;
    }
    long first = log.lastSequence() + 1;
    long[] ends = new long[group.size()];
    List<Batch> accepted = new ArrayList<>(group.size());
    try {
      for (Batch batch : group) {
        long end = log.lastSequence();
        try {
          for (LiveUpdate update : batch.updates()) {
            end = log.append(update);
          }
        } catch (IllegalArgumentException e) {
          // Too large to log: checked by callers, so a bug; nothing of this batch may stay.
          batch.done().completeExceptionally(e);
          throw new IOException("could not log a batch: " + e.getMessage(), e);
        }
        ends[accepted.size()] = end;
        accepted.add(batch);
      }
      log.sync();
    } catch (IOException e) {
      failure = e;
      LOG.log(
          Level.SEVERE,
          "write-ahead log in " + log.dir() + " failed; refusing updates until restart",
          e);
      fail(group, e);
      return;
    }
    long sequence = first;
    for (Batch batch : accepted) {
      for (LiveUpdate update : batch.updates()) {
        try {
          applier.apply(sequence, update);
        } catch (RuntimeException e) {
          applyFailures.incrementAndGet();
          LOG.log(
              Level.WARNING, "record " + sequence + " could not be applied: " + e.getMessage(), e);
        }
        sequence++;
      }
    }
    applier.committed(log.lastSequence());
    commits.incrementAndGet();
    records.addAndGet(log.lastSequence() - first + 1);
    for (int i = 0; i < accepted.size(); i++) {
      accepted.get(i).done().complete(ends[i]);
    }
  }

  private static void fail(List<Batch> group, Throwable e) {
    for (Batch batch : group) {
      batch.done().completeExceptionally(e);
    }
  }

  private void failRemaining(Throwable e) {
    for (Task task = queue.poll(); task != null; task = queue.poll()) {
      switch (task) {
        case Batch b -> b.done().completeExceptionally(e);
        case Exclusive<?> x -> x.done().completeExceptionally(e);
        case Stop s -> {}
      }
    }
  }

  /** Commits what is waiting, stops the writer thread and closes the log. */
  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        queue.put(STOP);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.close();
  }
}
