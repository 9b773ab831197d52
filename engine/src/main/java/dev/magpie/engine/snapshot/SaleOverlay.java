package dev.magpie.engine.snapshot;

import java.util.Arrays;

/**
 * The sale facts (price, currency, stock, flags) changed live since the snapshot, as one immutable
 * version per published epoch: a reader that holds a version sees every change of a batch or none,
 * while the writer prepares the next. The snapshot's own columns are never written.
 *
 * <p>Layout: a page table indexed by {@code ordinal >>> PAGE_BITS}; a page covers {@value
 * #PAGE_SIZE} consecutive ordinals and is null until one of them changes.
 *
 * <pre>
 *   pages[ordinal >>> 8] ──► Page { long[256] price; short[256] currency; int[256] stock;
 *                                   byte[256] flags; long[4] changed (one bit per ordinal) }
 * </pre>
 *
 * A read costs one array load and a null check when nothing near the ordinal changed (the common
 * case), a bit test and a load when something did. The writer copies a page the first time a batch
 * touches it (copy-on-write) and the page table once per published batch (8 bytes per 256 items: 31
 * KB at a million items).
 */
final class SaleOverlay {
  static final int PAGE_BITS = 8;
  static final int PAGE_SIZE = 1 << PAGE_BITS;
  private static final int MASK = PAGE_SIZE - 1;

  /** The changed facts of {@value #PAGE_SIZE} consecutive ordinals. */
  static final class Page {
    final long[] price = new long[PAGE_SIZE];
    final short[] currency = new short[PAGE_SIZE];
    final int[] stock = new int[PAGE_SIZE];
    final byte[] flags = new byte[PAGE_SIZE];
    final long[] changed = new long[PAGE_SIZE / 64];

    Page copy() {
      Page p = new Page();
      System.arraycopy(price, 0, p.price, 0, PAGE_SIZE);
      System.arraycopy(currency, 0, p.currency, 0, PAGE_SIZE);
      System.arraycopy(stock, 0, p.stock, 0, PAGE_SIZE);
      System.arraycopy(flags, 0, p.flags, 0, PAGE_SIZE);
      System.arraycopy(changed, 0, p.changed, 0, changed.length);
      return p;
    }

    boolean has(int slot) {
      return (changed[slot >>> 6] & (1L << slot)) != 0;
    }
  }

  private final Page[] pages;

  private SaleOverlay(Page[] pages) {
    this.pages = pages;
  }

  /** No change, for ordinals below {@code capacity}. */
  static SaleOverlay empty(int capacity) {
    return new SaleOverlay(new Page[(capacity + MASK) >>> PAGE_BITS]);
  }

  /** The page holding {@code ordinal}'s changed facts, or null when they did not change. */
  Page changed(int ordinal) {
    int p = ordinal >>> PAGE_BITS;
    if (p >= pages.length) {
      return null;
    }
    Page page = pages[p];
    return page != null && page.has(ordinal & MASK) ? page : null;
  }

  static int slot(int ordinal) {
    return ordinal & MASK;
  }

  /**
   * The writer's next version: changes go into copies of the pages they touch, and {@link
   * #publish()} hands out an immutable version. One writer thread.
   */
  static final class Builder {
    private Page[] pages;

    /** Pages this batch already copied, so written in place until the next publish. */
    private boolean[] owned;

    Builder(SaleOverlay from) {
      this.pages = from.pages.clone();
      this.owned = new boolean[pages.length];
    }

    /**
     * The writable page of {@code ordinal}, its other facts {@code current} until changed: a copy
     * of the published one, or a new one seeded with every fact of its ordinals as they are.
     */
    Page writable(int ordinal, Current current) {
      int p = ordinal >>> PAGE_BITS;
      if (p >= pages.length) {
        int size = Math.max(p + 1, pages.length + pages.length / 2);
        pages = Arrays.copyOf(pages, size);
        owned = Arrays.copyOf(owned, size);
      }
      if (!owned[p]) {
        pages[p] = pages[p] == null ? new Page() : pages[p].copy();
        owned[p] = true;
      }
      Page page = pages[p];
      int slot = ordinal & MASK;
      if (!page.has(slot)) {
        page.price[slot] = current.price(ordinal);
        page.currency[slot] = current.currency(ordinal);
        page.stock[slot] = current.stock(ordinal);
        page.flags[slot] = current.flags(ordinal);
        page.changed[slot >>> 6] |= 1L << slot;
      }
      return page;
    }

    /**
     * The changes so far, pages still being written included: for the writer's own reads only,
     * never for readers (a later change of this batch writes into its pages).
     */
    SaleOverlay peek() {
      return new SaleOverlay(pages);
    }

    /** This batch's changes as an immutable version; later changes copy again. */
    SaleOverlay publish() {
      Arrays.fill(owned, false);
      return new SaleOverlay(pages.clone());
    }
  }

  /** An ordinal's sale facts as they are before a change (the base version). */
  interface Current {
    long price(int ordinal);

    short currency(int ordinal);

    int stock(int ordinal);

    byte flags(int ordinal);
  }
}
