package dev.magpie.engine.snapshot;

/** Bits of the per-item flags column. */
public final class ItemFlags {
  /** The item carries its own vector in {@link SnapshotLayout#VECTORS}. */
  public static final byte HAS_VECTOR = 1;

  private ItemFlags() {}
}
