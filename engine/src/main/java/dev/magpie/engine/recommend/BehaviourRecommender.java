package dev.magpie.engine.recommend;

import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.behaviour.ItemRelations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import org.eclipse.collections.impl.map.mutable.primitive.IntFloatHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * Recommends from a shopper's history through the behaviour model: each of the latest {@value
 * #MAX_HISTORY} distinct items the shopper touched, weighted by how recent it is (the latest 1, the
 * one before {@value #RECENCY}, and so on), passes its weight times each relation's edge weight to its
 * neighbours; complements count {@value #COMPLEMENT_WEIGHT} times. Items the shopper already has are
 * not recommended. When relations reach fewer than k items, the most popular fill the rest. Thread-
 * safe.
 */
public final class BehaviourRecommender {
  /** How many of the shopper's latest distinct items are used. */
  static final int MAX_HISTORY = 50;
  /** Weight of each older history item relative to the next newer one. */
  static final float RECENCY = 0.8f;
  /** How much a complement edge counts beside a together edge. */
  static final float COMPLEMENT_WEIGHT = 1f;

  private final BehaviourModel model;
  private final int[] byPopularity;

  /** A recommender over {@code model}. */
  public BehaviourRecommender(BehaviourModel model) {
    this.model = model;
    float[] popularity = new float[model.items()];
    for (int i = 0; i < popularity.length; i++) {
      popularity[i] = model.stats().popularity(i);
    }
    Integer[] order = new Integer[popularity.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> popularity[a] != popularity[b] ? Float.compare(popularity[b], popularity[a])
        : Integer.compare(a, b));
    byPopularity = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
  }

  /**
   * The top {@code k} items for a shopper whose history is {@code history} (item ordinals, oldest
   * first), among those {@code allowed} accepts.
   */
  public List<Recommendation> recommend(int[] history, int k, IntPredicate allowed) {
    IntHashSet seen = new IntHashSet(history.length);
    for (int item : history) {
      seen.add(item);
    }
    IntFloatHashMap together = new IntFloatHashMap();
    IntFloatHashMap complement = new IntFloatHashMap();
    IntIntHashMap because = new IntIntHashMap();
    IntFloatHashMap strongest = new IntFloatHashMap();
    IntHashSet used = new IntHashSet();
    float recency = 1f;
    for (int i = history.length - 1; i >= 0 && used.size() < MAX_HISTORY; i--) {
      int h = history[i];
      if (!used.add(h)) {
        continue;
      }
      spread(model.together(), h, recency, together, seen, allowed, because, strongest);
      spread(model.complements(), h, recency * COMPLEMENT_WEIGHT, complement, seen, allowed, because, strongest);
      recency *= RECENCY;
    }
    IntHashSet candidates = new IntHashSet();
    candidates.addAll(together.keySet());
    candidates.addAll(complement.keySet());
    List<Recommendation> out = new ArrayList<>(candidates.size());
    candidates.forEach(c -> {
      float t = together.get(c);
      float m = complement.get(c);
      out.add(new Recommendation(c, t + m, t, m, 0f, because.getIfAbsent(c, -1)));
    });
    out.sort((a, b) -> a.score() != b.score() ? Float.compare(b.score(), a.score()) : Integer.compare(a.ordinal(), b.ordinal()));
    List<Recommendation> top = new ArrayList<>(out.subList(0, Math.min(k, out.size())));
    for (int i = 0; i < byPopularity.length && top.size() < k; i++) {
      int c = byPopularity[i];
      if (!seen.contains(c) && !candidates.contains(c) && allowed.test(c)) {
        top.add(new Recommendation(c, 0f, 0f, 0f, 0f, -1));
      }
    }
    return top;
  }

  private static void spread(ItemRelations relations, int from, float weight, IntFloatHashMap scores, IntHashSet seen,
      IntPredicate allowed, IntIntHashMap because, IntFloatHashMap strongest) {
    for (int e = relations.start(from), end = relations.end(from); e < end; e++) {
      int b = relations.neighbour(e);
      if (seen.contains(b) || !allowed.test(b)) {
        continue;
      }
      float part = weight * relations.weight(e);
      scores.addToValue(b, part);
      if (part > strongest.get(b)) {
        strongest.put(b, part);
        because.put(b, from);
      }
    }
  }
}
