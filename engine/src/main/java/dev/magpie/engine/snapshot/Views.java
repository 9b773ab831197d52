package dev.magpie.engine.snapshot;

import dev.magpie.engine.text.TextIndex;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The current {@link View} of one snapshot, published through one reference: readers {@link
 * #acquire()} it (lock-free, never waiting on the writer) and close it when done; the single live
 * writer {@link #publish}es a new view after each committed batch, and the view it replaces is
 * retired when its last reader closes it. Owned by the {@link Snapshot}.
 */
public final class Views implements AutoCloseable {
  private final Snapshot snapshot;
  private final TextIndex text;
  private final AtomicLong retired = new AtomicLong();
  private volatile View current;

  Views(Snapshot snapshot, ItemStore items, TextIndex text) {
    this.snapshot = snapshot;
    this.text = text;
    this.current = new View(this, 0, items, text.reading());
  }

  /**
   * The current view, held until closed. Never blocks: if the writer replaces and retires the view
   * between the read and the reference taken, the next current one is taken instead.
   */
  public View acquire() {
    while (true) {
      View v = current;
      if (v.tryAcquire()) {
        return v;
      }
    }
  }

  /** The current view without holding it: for the writer, which alone replaces it. */
  View current() {
    return current;
  }

  /**
   * Publishes the items of a committed batch, with the text index refreshed to the items it added,
   * as the next epoch; the view replaced is retired once its last reader closes it. Writer only.
   */
  public void publish(ItemStore items) throws IOException {
    text.refresh();
    View before = current;
    current = new View(this, before.epoch() + 1, items, text.reading());
    before.release();
  }

  /** Views retired so far (each exactly once). */
  public long retiredCount() {
    return retired.get();
  }

  void retired() {
    retired.incrementAndGet();
  }

  Snapshot snapshot() {
    return snapshot;
  }

  /** Releases the current view (the snapshot is closing; readers must be done). */
  @Override
  public void close() {
    current.release();
  }
}
