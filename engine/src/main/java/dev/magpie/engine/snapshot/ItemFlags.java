package dev.magpie.engine.snapshot;

/** Bits of the per-item flags column. */
public final class ItemFlags {
  /** The item carries its own vector in {@link SnapshotLayout#VECTORS}. */
  public static final byte HAS_VECTOR = 1;

  /** A seller paid to promote the item: reported to callers, never read by organic ranking. */
  public static final byte SPONSORED = 2;

  /**
   * Withdrawn from sale by a live update: never returned by search, recommendations or baskets;
   * looked up by id it is reported as withdrawn. The next snapshot folded from the log leaves it
   * out.
   */
  public static final byte WITHDRAWN = 4;

  private ItemFlags() {}
}
