package dev.magpie.engine.recommend;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;

/**
 * Picks a diversified list from scored candidates ({@link Diversity}): greedy maximal marginal
 * relevance over the best-scored pool, within per-brand and per-category caps. When the caps leave
 * the list short, the best remaining candidates fill it regardless of the caps (a short list helps
 * nobody).
 */
final class Diversifier {
  /** How many of the best-scored candidates per wanted item MMR looks at. */
  static final int POOL_PER_ITEM = 5;

  private Diversifier() {}

  /**
   * Up to {@code count} slots of {@code candidates} accepted by {@code slotFilter}, in list order.
   *
   * @param k the length of the whole list, which the caps are relative to
   */
  static List<Integer> choose(
      Candidates candidates,
      float[] scores,
      int count,
      Diversity diversity,
      int k,
      IntPredicate slotFilter) {
    List<Integer> pool = new ArrayList<>();
    for (int s = 0; s < candidates.size(); s++) {
      if (slotFilter.test(s)) {
        pool.add(s);
      }
    }
    pool.sort(
        (a, b) ->
            scores[a] != scores[b]
                ? Float.compare(scores[b], scores[a])
                : Long.compare(candidates.found(a).position(), candidates.found(b).position()));
    if (count <= 0 || pool.isEmpty()) {
      return List.of();
    }
    if (diversity.lambda() >= 1 && diversity.brandShare() >= 1 && diversity.categoryShare() >= 1) {
      return new ArrayList<>(pool.subList(0, Math.min(count, pool.size())));
    }
    List<Integer> top =
        new ArrayList<>(
            pool.subList(0, Math.min(pool.size(), Math.max(count * POOL_PER_ITEM, 50))));
    float max = scores[top.get(0)];
    float min = scores[top.get(top.size() - 1)];
    float range = max > min ? max - min : 1f;
    LongIntHashMap perBrand = new LongIntHashMap();
    IntIntHashMap perCategory = new IntIntHashMap();
    int brandCap = diversity.brandCap(k);
    int categoryCap = diversity.categoryCap(k);
    List<Integer> chosen = new ArrayList<>(count);
    boolean[] used = new boolean[top.size()];
    while (chosen.size() < count) {
      int best = -1;
      float bestValue = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < top.size(); i++) {
        if (used[i]) {
          continue;
        }
        FoundItem item = candidates.found(top.get(i));
        long brand = item.brandKey();
        int category = item.category();
        if (brand >= 0 && perBrand.get(brand) >= brandCap
            || category >= 0 && perCategory.get(category) >= categoryCap) {
          continue;
        }
        float similarity = 0;
        for (int c : chosen) {
          FoundItem other = candidates.found(c);
          float sim =
              (category >= 0 && category == other.category() ? 0.6f : 0f)
                  + (brand >= 0 && brand == other.brandKey() ? 0.4f : 0f);
          similarity = Math.max(similarity, sim);
        }
        float value =
            diversity.lambda() * (scores[top.get(i)] - min) / range
                - (1 - diversity.lambda()) * similarity;
        if (value > bestValue) {
          bestValue = value;
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      used[best] = true;
      FoundItem item = candidates.found(top.get(best));
      perBrand.addToValue(item.brandKey(), 1);
      perCategory.addToValue(item.category(), 1);
      chosen.add(top.get(best));
    }
    for (int i = 0; i < pool.size() && chosen.size() < count; i++) {
      if (!chosen.contains(pool.get(i))) {
        chosen.add(pool.get(i));
      }
    }
    return chosen;
  }
}
