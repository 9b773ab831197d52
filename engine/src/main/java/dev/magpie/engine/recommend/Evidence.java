package dev.magpie.engine.recommend;

import org.eclipse.collections.impl.list.mutable.primitive.BooleanArrayList;
import org.eclipse.collections.impl.list.mutable.primitive.FloatArrayList;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;

/**
 * Behaviour spread from a request's anchors (the context items, then the shopper's recent ones):
 * each neighbour in an anchor's row gets the anchor's weight times the edge's, summed per neighbour
 * and relation, remembering the anchor that gave the largest part. Neighbours are kept in the order
 * first reached; the sums live in parallel primitive lists, two entries (together, complement) per
 * neighbour. Not thread-safe: one per request.
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

  private final LongIntHashMap indexOf = new LongIntHashMap();
  private final LongArrayList refs = new LongArrayList();

  /** Per neighbour and relation (index 2n + relation): whether any part came. */
  private final BooleanArrayList reached = new BooleanArrayList();

  private final FloatArrayList values = new FloatArrayList();
  private final LongArrayList anchors = new LongArrayList();
  private final FloatArrayList anchorParts = new FloatArrayList();
  private final BooleanArrayList anchorsInContext = new BooleanArrayList();

  /** How many neighbours were reached. */
  int size() {
    return refs.size();
  }

  /** The {@code i}-th neighbour reached. */
  long neighbour(int i) {
    return refs.get(i);
  }

  /** The {@code i}-th neighbour's evidence of relation {@code relation}, or null for none. */
  Part part(int i, int relation) {
    int at = 2 * i + relation;
    return reached.get(at)
        ? new Part(values.get(at), anchors.get(at), anchorParts.get(at), anchorsInContext.get(at))
        : null;
  }

  /** Neighbour {@code ref}'s evidence of relation {@code relation} (0 together, 1 complement). */
  Part part(long ref, int relation) {
    int i = indexOf.getIfAbsent(ref, -1);
    if (i < 0 || !reached.get(2 * i + relation)) {
      return null;
    }
    int at = 2 * i + relation;
    return new Part(values.get(at), anchors.get(at), anchorParts.get(at), anchorsInContext.get(at));
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
        for (int r = 0; r < 2; r++) {
          reached.add(false);
          values.add(0f);
          anchors.add(-1);
          anchorParts.add(0f);
          anchorsInContext.add(false);
        }
      }
      int at = 2 * i + relation;
      reached.set(at, true);
      values.set(at, values.get(at) + part);
      if (part > anchorParts.get(at)) {
        anchors.set(at, anchor);
        anchorParts.set(at, part);
        anchorsInContext.set(at, inContext);
      }
    }
  }
}
