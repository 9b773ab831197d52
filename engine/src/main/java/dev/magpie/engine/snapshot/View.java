package dev.magpie.engine.snapshot;

import dev.magpie.engine.RefCount;
import dev.magpie.engine.text.TextIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.search.IndexSearcher;

/**
 * One point-in-time state of a served snapshot, after Lucene's {@code SearcherManager}: the
 * snapshot with every live batch committed up to one epoch and none after, in every channel at
 * once: the items (added items, changed prices, stock and availability: {@link #items()}), the text
 * index's near-real-time segments ({@link #textSearcher()}) and the vectors of added items (those
 * with ordinals below {@code items().size()}). A request takes a view from {@link Views#acquire()},
 * reads only through it, and closes it; a view the writer has replaced stays whole for whoever
 * still holds it, and is retired (its text reading released) once, when the last holder closes it.
 *
 * <p>What a view does not pin: shoppers' profiles (a profile may show an event a moment before the
 * epoch that carries it) and anything of the snapshot that never changes.
 */
public final class View implements AutoCloseable {
  private final Views owner;
  private final long epoch;
  private final ItemStore items;
  private final TextIndex.Reading text;

  /** One for being current, one per holder; the last given back retires the view. */
  private final RefCount references;

  View(Views owner, long epoch, ItemStore items, TextIndex.Reading text) {
    this.owner = owner;
    this.epoch = epoch;
    this.items = items;
    this.text = text;
    this.references = new RefCount("view of epoch " + epoch, this::retire);
    text.acquire();
  }

  /** The number of live batches published before this view: 0 for the snapshot as loaded. */
  public long epoch() {
    return epoch;
  }

  /** The snapshot this is a view of. */
  public Snapshot snapshot() {
    return owner.snapshot();
  }

  /** The items as of this epoch. */
  public ItemStore items() {
    return items;
  }

  /** A searcher over the text index as of this epoch (document id = item ordinal). */
  public IndexSearcher textSearcher() {
    return text.searcher();
  }

  /** Gives this view back to its owner: the request that acquired it is done with it. */
  @Override
  public void close() {
    release();
  }

  /** Takes a reference unless the view is already retired. Lock-free. */
  boolean tryAcquire() {
    return references.tryAcquire();
  }

  /** Gives a reference back; the last one retires the view. */
  void release() {
    references.release();
  }

  /** Retires the view: gives its text reading back and counts it. */
  private void retire() {
    try {
      text.release();
    } catch (IOException e) {
      throw new UncheckedIOException("releasing the text reading of epoch " + epoch, e);
    }
    owner.retired();
  }
}
