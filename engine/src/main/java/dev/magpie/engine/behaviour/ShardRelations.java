package dev.magpie.engine.behaviour;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One shard's rows of an item-to-item relation: its own items' edges, each to a neighbour anywhere
 * in the catalog named by its shard and ordinal there ({@code dev.magpie.engine.recommend.ItemRef}
 * packing). The same edges as the catalog's {@link ItemRelations}, split by the row's item. The
 * rows live in memory segments, on the heap when just built, mapped from the {@link ShardBehaviour}
 * file when opened.
 *
 * <pre>
 *  offsets   int32[items + 1]   offsets[a] = index of a's first edge; offsets[items] = edges
 *  refs      int64[edges]       neighbour of each edge: shard << 32 | ordinal
 *  weights   float32[edges]     weight of each edge, heaviest first within a row
 * </pre>
 */
public final class ShardRelations {
  private static final ValueLayout.OfLong LONG =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final MemorySegment offsets;
  private final MemorySegment refs;
  private final MemorySegment weights;
  private final int items;
  private final int edges;

  /**
   * Rows over segments laid out as drawn above.
   *
   * @throws IllegalArgumentException if the sizes disagree or a row is malformed
   */
  ShardRelations(MemorySegment offsets, MemorySegment refs, MemorySegment weights) {
    this.offsets = offsets;
    this.refs = refs;
    this.weights = weights;
    this.items = (int) (offsets.byteSize() / Integer.BYTES) - 1;
    this.edges = (int) (refs.byteSize() / Long.BYTES);
    if (items < 0
        || weights.byteSize() != (long) edges * Float.BYTES
        || offsets.get(ItemRelations.INT, 0) != 0
        || offsets.get(ItemRelations.INT, (long) items * Integer.BYTES) != edges) {
      throw new IllegalArgumentException(
          "shard relations: offsets must start at 0 and end at " + edges);
    }
    for (int a = 0; a < items; a++) {
      if (end(a) < start(a)) {
        throw new IllegalArgumentException("shard relations: row " + a + " ends before it starts");
      }
    }
    for (int e = 0; e < edges; e++) {
      if (ref(e) < 0) {
        throw new IllegalArgumentException("shard relations: edge " + e + " names " + ref(e));
      }
    }
  }

  /** Rows from arrays (copied into heap segments). */
  public static ShardRelations of(int[] offsets, long[] refs, float[] weights) {
    MemorySegment r = MemorySegment.ofArray(new byte[refs.length * Long.BYTES]);
    MemorySegment.copy(refs, 0, r, LONG, 0, refs.length);
    return new ShardRelations(ItemRelations.segment(offsets), r, ItemRelations.segment(weights));
  }

  /** Number of rows (the shard's items). */
  public int items() {
    return items;
  }

  /** Number of edges. */
  public int edges() {
    return edges;
  }

  /** Index of item {@code a}'s first edge; an item past the rows (added live since) has none. */
  public int start(int a) {
    return offsets.get(ItemRelations.INT, (long) Math.min(a, items) * Integer.BYTES);
  }

  /** Index after item {@code a}'s last edge. */
  public int end(int a) {
    return offsets.get(ItemRelations.INT, (long) Math.min(a + 1, items) * Integer.BYTES);
  }

  /** The neighbour of edge {@code e}: shard << 32 | ordinal. */
  public long ref(int e) {
    return refs.get(LONG, (long) e * Long.BYTES);
  }

  /** The weight of edge {@code e}. */
  public float weight(int e) {
    return weights.get(ItemRelations.FLOAT, (long) e * Float.BYTES);
  }

  MemorySegment offsets() {
    return offsets;
  }

  MemorySegment refs() {
    return refs;
  }

  MemorySegment weights() {
    return weights;
  }
}
