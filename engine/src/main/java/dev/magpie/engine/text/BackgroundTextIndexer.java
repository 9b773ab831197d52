package dev.magpie.engine.text;

import dev.magpie.engine.catalog.Item;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Feeds a {@link TextIndexWriter} from one background thread ({@code magpie-text-index}), so that
 * analysing and indexing text overlaps with parsing and column writing instead of adding to them.
 * One consumer takes items in the order they were added, so document id still equals item ordinal
 * (and {@link TextIndexWriter#finish()} still proves it). The queue is bounded: a writer faster
 * than the indexer waits. A failure in the indexer surfaces on the next {@link #add} or in {@link
 * #finish()}.
 */
public final class BackgroundTextIndexer implements Closeable {
  private static final int QUEUE_ITEMS = 4096;
  private static final Item END =
      new Item("end", "end", "", "", "", -1, "", -1, Float.NaN, Map.of(), null);

  private final TextIndexWriter writer;
  private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE_ITEMS);
  private final Thread thread;
  private volatile Throwable failure;

  /** Starts the indexing thread for {@code writer}. */
  public BackgroundTextIndexer(TextIndexWriter writer) {
    this.writer = writer;
    this.thread = Thread.ofPlatform().name("magpie-text-index").daemon(true).unstarted(this::run);
    thread.start();
  }

  private void run() {
    try {
      int ordinal = 0;
      for (Item item = queue.take(); item != END; item = queue.take()) {
        writer.add(ordinal++, item);
      }
    } catch (Throwable t) {
      failure = t;
      queue.clear();
    }
  }

  /** Queues the next item (ordinals follow the order of calls). */
  public void add(Item item) throws IOException {
    check();
    try {
      while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
        check();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while queueing text for indexing");
    }
  }

  /**
   * Waits for every queued item to be indexed, then finishes the index (see {@link
   * TextIndexWriter#finish()}).
   */
  public List<TextIndexWriter.IndexFile> finish() throws IOException {
    try {
      while (thread.isAlive() && !queue.offer(END, 100, TimeUnit.MILLISECONDS)) {
        check();
      }
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the text index");
    }
    check();
    return writer.finish();
  }

  private void check() throws IOException {
    Throwable t = failure;
    if (t == null) {
      return;
    }
    if (t instanceof IOException io) {
      throw new IOException("text indexing failed: " + io.getMessage(), io);
    }
    if (t instanceof UncheckedIOException u) {
      throw new IOException("text indexing failed: " + u.getMessage(), u.getCause());
    }
    throw new IllegalStateException("text indexing failed", t);
  }

  /** Stops the thread (dropping anything queued) and releases the writer without committing. */
  @Override
  public void close() throws IOException {
    if (thread.isAlive()) {
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    writer.close();
  }
}
