package dev.magpie.engine.shard;

/**
 * An item named by its shard and its ordinal there, packed in a long: what recommendation phases
 * pass between shards and the router (a single node is shard 0). Valid within one build of the
 * catalog: every shard of a cluster serves the same build.
 *
 * <pre>
 *  bit 63      62 .. 32         31 .. 0
 *  +----+------------------+-------------+
 *  | 0  | shard (31 bits)  | ordinal     |
 *  +----+------------------+-------------+
 * </pre>
 */
public final class ItemRef {
  private ItemRef() {}

  /** The reference to item {@code ordinal} of shard {@code shard}. */
  public static long of(int shard, int ordinal) {
    if (shard < 0 || ordinal < 0) {
      throw new IllegalArgumentException("item ref: shard " + shard + ", ordinal " + ordinal);
    }
    return (long) shard << 32 | ordinal;
  }

  /** The shard of {@code ref}. */
  public static int shard(long ref) {
    return (int) (ref >>> 32);
  }

  /** The ordinal on its shard of {@code ref}. */
  public static int ordinal(long ref) {
    return (int) ref;
  }
}
