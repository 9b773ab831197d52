package dev.magpie.engine.recommend;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;

/**
 * Behaviour spread from a request's anchors (the context items, then the shopper's recent ones):
 * each neighbour in an anchor's row gets the anchor's weight times the edge's, summed per neighbour
 * and relation, remembering the anchor that gave the largest part. Neighbours are kept in the order
 * first reached. Not thread-safe: one per request.
 */
final class Evidence {
  /**
   * One neighbour's evidence of one relation.
   *
   * @param value the summed parts
   * @param anchor the anchor of the largest part
   * @param anchorPart the largest part
   * @param anchorInContext whether that anchor is a context item
   */
  record Part(float value, long anchor, float anchorPart, boolean anchorInContext) {}

  /** No evidence yet. */
  private static final Part NONE = new Part(0f, -1, 0f, false);

  private final LongIntHashMap indexOf = new LongIntHashMap();
  private final LongArrayList refs = new LongArrayList();
  private final List<Part[]> parts = new ArrayList<>();

  /** The neighbours reached, in the order first reached. */
  long[] neighbours() {
    return refs.toArray();
  }

  /** Neighbour {@code ref}'s evidence of relation {@code relation} (0 together, 1 complement). */
  Part part(long ref, int relation) {
    int i = indexOf.getIfAbsent(ref, -1);
    return i < 0 ? null : parts.get(i)[relation];
  }

  /** Spreads {@code row} of relation {@code relation} from an anchor of weight {@code weight}. */
  void spread(ItemFacts.Row row, int relation, long anchor, float weight, boolean inContext) {
    for (int e = 0; e < row.refs().length; e++) {
      long b = row.refs()[e];
      float part = weight * row.weights()[e];
      int i = indexOf.getIfAbsent(b, -1);
      if (i < 0) {
        i = refs.size();
        indexOf.put(b, i);
        refs.add(b);
        parts.add(new Part[2]);
      }
      Part[] mine = parts.get(i);
      Part old = mine[relation] == null ? NONE : mine[relation];
      if (part > old.anchorPart()) {
        mine[relation] = new Part(old.value() + part, anchor, part, inContext);
      } else {
        mine[relation] =
            new Part(old.value() + part, old.anchor(), old.anchorPart(), old.anchorInContext());
      }
    }
  }
}
