package dev.magpie.engine.behaviour;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Weighted item-to-item edges in compressed sparse rows: item a's edges are {@code start(a) ..
 * end(a)}, heaviest first, each a neighbour ordinal and a weight. Directed: b in a's row need not
 * put a in b's. The rows live in memory segments: on the heap when just built, mapped from the
 * snapshot's {@link BehaviourFile} when opened.
 *
 * <pre>
 *  offsets     int32[items + 1]   offsets[a] = index of a's first edge; offsets[items] = edges
 *  neighbours  int32[edges]       neighbour ordinal of each edge
 *  weights     float32[edges]     weight of each edge
 * </pre>
 */
public final class ItemRelations {
  static final ValueLayout.OfInt INT =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfFloat FLOAT =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final MemorySegment offsets;
  private final MemorySegment neighbours;
  private final MemorySegment weights;
  private final int items;
  private final int edges;

  /**
   * Rows over segments laid out as drawn above.
   *
   * @throws IllegalArgumentException if the sizes disagree, or an offset or neighbour is out of
   *     range
   */
  ItemRelations(MemorySegment offsets, MemorySegment neighbours, MemorySegment weights) {
    this.offsets = offsets;
    this.neighbours = neighbours;
    this.weights = weights;
    this.items = (int) (offsets.byteSize() / Integer.BYTES) - 1;
    this.edges = (int) (neighbours.byteSize() / Integer.BYTES);
    if (items < 0
        || weights.byteSize() != neighbours.byteSize()
        || offsets.get(INT, 0) != 0
        || offsets.get(INT, (long) items * Integer.BYTES) != edges) {
      throw new IllegalArgumentException(
          "relations: offsets must start at 0 and end at "
              + edges
              + " (neighbours and weights of equal length)");
    }
    for (int a = 0; a < items; a++) {
      if (end(a) < start(a)) {
        throw new IllegalArgumentException("relations: row " + a + " ends before it starts");
      }
    }
    for (int e = 0; e < edges; e++) {
      int b = neighbour(e);
      if (b < 0 || b >= items) {
        throw new IllegalArgumentException(
            "relations: edge " + e + " points at item " + b + " of " + items);
      }
    }
  }

  /** Rows from arrays (copied into heap segments). */
  public static ItemRelations of(int[] offsets, int[] neighbours, float[] weights) {
    return new ItemRelations(segment(offsets), segment(neighbours), segment(weights));
  }

  /** No edges over {@code items} items. */
  public static ItemRelations empty(int items) {
    return of(new int[items + 1], new int[0], new float[0]);
  }

  /** {@code values} copied into a heap segment, in file byte order. */
  static MemorySegment segment(int[] values) {
    MemorySegment s = MemorySegment.ofArray(new byte[values.length * Integer.BYTES]);
    MemorySegment.copy(values, 0, s, INT, 0, values.length);
    return s;
  }

  /** {@code values} copied into a heap segment, in file byte order. */
  static MemorySegment segment(float[] values) {
    MemorySegment s = MemorySegment.ofArray(new byte[values.length * Float.BYTES]);
    MemorySegment.copy(values, 0, s, FLOAT, 0, values.length);
    return s;
  }

  /** Number of items (rows). */
  public int items() {
    return items;
  }

  /** Number of edges. */
  public int edges() {
    return edges;
  }

  /** Index of item {@code a}'s first edge; an item past the rows (added live since) has none. */
  public int start(int a) {
    return offsets.get(INT, (long) Math.min(a, items) * Integer.BYTES);
  }

  /** Index after item {@code a}'s last edge. */
  public int end(int a) {
    return offsets.get(INT, (long) Math.min(a + 1, items) * Integer.BYTES);
  }

  /** The neighbour of edge {@code e}. */
  public int neighbour(int e) {
    return neighbours.get(INT, (long) e * Integer.BYTES);
  }

  /** The weight of edge {@code e}. */
  public float weight(int e) {
    return weights.get(FLOAT, (long) e * Float.BYTES);
  }

  /** Item {@code a}'s neighbours, heaviest first. */
  public int[] neighboursOf(int a) {
    int[] out = new int[end(a) - start(a)];
    for (int i = 0; i < out.length; i++) {
      out[i] = neighbour(start(a) + i);
    }
    return out;
  }

  /** The weights of item {@code a}'s neighbours, parallel to {@link #neighboursOf}. */
  public float[] weightsOf(int a) {
    float[] out = new float[end(a) - start(a)];
    for (int i = 0; i < out.length; i++) {
      out[i] = weight(start(a) + i);
    }
    return out;
  }

  /** The weight of edge a to b, or 0 when there is none. */
  public float weight(int a, int b) {
    for (int e = start(a); e < end(a); e++) {
      if (neighbour(e) == b) {
        return weight(e);
      }
    }
    return 0f;
  }

  MemorySegment offsets() {
    return offsets;
  }

  MemorySegment neighbours() {
    return neighbours;
  }

  MemorySegment weights() {
    return weights;
  }
}
