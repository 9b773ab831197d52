package dev.magpie.engine.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The links of a hierarchical navigable small-world graph over item ordinals, in one flat block of
 * memory: mapped from a snapshot's {@code vectors/graph.bin}, or being filled by {@link
 * HnswGraphBuilder}, which writes the same layout. Node ids are item ordinals; an item without a
 * vector has no links and no other node links to it.
 *
 * <pre>
 *  body (all int32, little-endian)
 *  +-----------------------------------------------------------------------+ 0
 *  | levels L | m | m0 | entry node (-1 when empty) | nodes N                 |
 *  | count[1] .. count[L-1]: nodes on each upper level                       |
 *  | zero padding                                                          |
 *  +-----------------------------------------------------------------------+ HEADER_BYTES = 128
 *  | level 0: N blocks of (1 + m0) ints, block of node i at i * (1 + m0):   |
 *  |   [degree d][neighbour 1] .. [neighbour d][unused ...]                  |
 *  +-----------------------------------------------------------------------+
 *  | level 1: count[1] node ids, ascending                                  |
 *  |          count[1] blocks of (1 + m) ints, in the order of the ids        |
 *  | level 2 .. L-1: the same                                               |
 *  +-----------------------------------------------------------------------+
 *  file kind: hnsw.graph   version 1   params: [0] N [1] L [2] entry [3] m
 * </pre>
 *
 * A node on level l is on every level below it. Reads are bounds-checked by the segment; a graph
 * opened from a file has been checksummed by {@link dev.magpie.engine.io.MappedFile}, and {@link
 * #validate()} checks every link points at a node of the same level.
 */
public final class HnswGraph {
  /** File kind. */
  public static final String KIND = "hnsw.graph";

  /** Format version. */
  public static final int VERSION = 1;

  static final int HEADER_BYTES = 128;
  static final ValueLayout.OfInt INT =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final MemorySegment body;
  private final int levels;
  private final int m;
  private final int m0;
  private final int nodes;
  private final long stride0;
  private final long strideUpper;
  private final int[] counts;
  private final long[] idsOffset;
  private final long[] blocksOffset;
  private volatile int entry;

  /** A view of {@code body}, which holds the layout above. */
  HnswGraph(MemorySegment body) {
    this.body = body;
    this.levels = body.get(INT, 0);
    this.m = body.get(INT, 4);
    this.m0 = body.get(INT, 8);
    this.entry = body.get(INT, 12);
    this.nodes = body.get(INT, 16);
    if (levels < 1 || levels > HnswParameters.MAX_LEVELS || m < 1 || m0 < m || nodes < 0) {
      throw new IllegalArgumentException(
          "hnsw graph header: levels " + levels + ", m " + m + ", m0 " + m0 + ", nodes " + nodes);
    }
    this.stride0 = 4L * (1 + m0);
    this.strideUpper = 4L * (1 + m);
    this.counts = new int[levels];
    this.idsOffset = new long[levels];
    this.blocksOffset = new long[levels];
    counts[0] = nodes;
    blocksOffset[0] = HEADER_BYTES;
    long at = HEADER_BYTES + stride0 * nodes;
    for (int l = 1; l < levels; l++) {
      counts[l] = body.get(INT, 20 + 4L * (l - 1));
      idsOffset[l] = at;
      blocksOffset[l] = at + 4L * counts[l];
      at = blocksOffset[l] + strideUpper * counts[l];
    }
    if (at > body.byteSize()) {
      throw new IllegalArgumentException(
          "hnsw graph needs " + at + " bytes, has " + body.byteSize());
    }
  }

  /** Bytes of the layout for these level counts ({@code counts[0]} is the node count). */
  static long byteSize(int[] counts, int m) {
    long size = HEADER_BYTES + 4L * (1 + 2L * m) * counts[0];
    for (int l = 1; l < counts.length; l++) {
      size += 4L * counts[l] + 4L * (1 + m) * counts[l];
    }
    return size;
  }

  /** Writes an empty graph's header and sorted upper-level ids into {@code body}. */
  static HnswGraph format(MemorySegment body, int m, int[] counts, int[][] upperIds) {
    body.fill((byte) 0);
    body.set(INT, 0, counts.length);
    body.set(INT, 4, m);
    body.set(INT, 8, 2 * m);
    body.set(INT, 12, -1);
    body.set(INT, 16, counts[0]);
    for (int l = 1; l < counts.length; l++) {
      body.set(INT, 20 + 4L * (l - 1), counts[l]);
    }
    HnswGraph graph = new HnswGraph(body);
    for (int l = 1; l < counts.length; l++) {
      MemorySegment.copy(upperIds[l], 0, body, INT, graph.idsOffset[l], counts[l]);
    }
    return graph;
  }

  /** The raw layout, for writing to a file. */
  MemorySegment body() {
    return body;
  }

  /** Node slots on level 0 (the catalog's item count). */
  public int nodes() {
    return nodes;
  }

  /** Number of levels, at least 1. */
  public int levels() {
    return levels;
  }

  /** Links per node on upper levels. */
  public int m() {
    return m;
  }

  /** Where searches start, or -1 when the graph has no node. */
  public int entry() {
    return entry;
  }

  void setEntry(int node) {
    entry = node;
    body.set(INT, 12, node);
  }

  /** How many nodes {@code level} holds (level 0: every slot, linked or not). */
  public int count(int level) {
    return counts[level];
  }

  /**
   * The byte offset of {@code node}'s block on {@code level}, or -1 if the node is not on it. Level
   * 0 is a multiplication; upper levels a binary search over their sorted ids.
   */
  long block(int level, int node) {
    if (level == 0) {
      return HEADER_BYTES + stride0 * node;
    }
    int lo = 0;
    int hi = counts[level] - 1;
    long ids = idsOffset[level];
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int id = body.get(INT, ids + 4L * mid);
      if (id < node) {
        lo = mid + 1;
      } else if (id > node) {
        hi = mid - 1;
      } else {
        return blocksOffset[level] + strideUpper * mid;
      }
    }
    return -1;
  }

  /** The degree stored in the block at {@code block}. */
  int degree(long block) {
    return body.get(INT, block);
  }

  /** Neighbour {@code i} of the block at {@code block}. */
  int neighbour(long block, int i) {
    return body.get(INT, block + 4 + 4L * i);
  }

  /** Replaces the links of the block at {@code block}. */
  void setLinks(long block, int[] links, int count) {
    body.set(INT, block, count);
    MemorySegment.copy(links, 0, body, INT, block + 4, count);
  }

  /** Bytes of the whole layout. */
  public long byteSize() {
    return body.byteSize();
  }

  /**
   * Checks every degree is within bounds and every link points at a node present on the same level:
   * what a checksum cannot tell (a graph written by a buggy builder).
   *
   * @throws IllegalStateException naming the first bad link
   */
  public void validate() {
    if (entry < -1 || entry >= nodes || (entry >= 0 && block(levels - 1, entry) < 0)) {
      throw new IllegalStateException("hnsw entry node " + entry + " is not on the top level");
    }
    for (int l = 0; l < levels; l++) {
      int max = l == 0 ? m0 : m;
      for (int slot = 0; slot < counts[l]; slot++) {
        long block = l == 0 ? block(0, slot) : blocksOffset[l] + strideUpper * slot;
        int node = l == 0 ? slot : body.get(INT, idsOffset[l] + 4L * slot);
        int degree = degree(block);
        if (degree < 0 || degree > max) {
          throw new IllegalStateException(
              "hnsw node " + node + " level " + l + ": degree " + degree);
        }
        for (int i = 0; i < degree; i++) {
          int nb = neighbour(block, i);
          if (nb < 0 || nb >= nodes || nb == node || (l > 0 && block(l, nb) < 0)) {
            throw new IllegalStateException(
                "hnsw node " + node + " level " + l + ": bad link to " + nb);
          }
        }
      }
    }
  }
}
