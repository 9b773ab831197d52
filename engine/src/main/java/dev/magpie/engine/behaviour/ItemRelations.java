package dev.magpie.engine.behaviour;

import java.util.Arrays;

/**
 * Weighted item-to-item edges in compressed sparse rows: item a's neighbours are {@code
 * neighbours[offsets[a] .. offsets[a + 1])}, heaviest first, with their weights. Directed: b in a's
 * row need not put a in b's.
 *
 * @param offsets row starts, one per item plus the end
 * @param neighbours neighbour ordinals
 * @param weights edge weights, parallel to {@code neighbours}
 */
public record ItemRelations(int[] offsets, int[] neighbours, float[] weights) {
  /** No edges over {@code items} items. */
  public static ItemRelations empty(int items) {
    return new ItemRelations(new int[items + 1], new int[0], new float[0]);
  }

  /** Checks that the rows are well formed. */
  public ItemRelations {
    if (offsets.length == 0 || offsets[0] != 0 || offsets[offsets.length - 1] != neighbours.length
        || neighbours.length != weights.length) {
      throw new IllegalArgumentException("relations: offsets must start at 0 and end at " + neighbours.length
          + " (neighbours and weights of equal length)");
    }
    for (int i = 1; i < offsets.length; i++) {
      if (offsets[i] < offsets[i - 1]) {
        throw new IllegalArgumentException("relations: row " + (i - 1) + " ends before it starts");
      }
    }
  }

  /** Number of items (rows). */
  public int items() {
    return offsets.length - 1;
  }

  /** Number of edges. */
  public int edges() {
    return neighbours.length;
  }

  /** Item {@code a}'s neighbours, heaviest first. */
  public int[] neighboursOf(int a) {
    return Arrays.copyOfRange(neighbours, offsets[a], offsets[a + 1]);
  }

  /** The weights of item {@code a}'s neighbours, parallel to {@link #neighboursOf}. */
  public float[] weightsOf(int a) {
    return Arrays.copyOfRange(weights, offsets[a], offsets[a + 1]);
  }

  /** The weight of edge a to b, or 0 when there is none. */
  public float weight(int a, int b) {
    for (int i = offsets[a]; i < offsets[a + 1]; i++) {
      if (neighbours[i] == b) {
        return weights[i];
      }
    }
    return 0f;
  }
}
