package dev.magpie.engine.behaviour;

import java.util.Arrays;
import org.eclipse.collections.api.block.procedure.primitive.IntFloatProcedure;
import org.eclipse.collections.impl.map.mutable.primitive.IntFloatHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongFloatHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;

/**
 * Builds a {@link BehaviourModel} from an {@link Interactions} log, in memory (a map of neighbours
 * per item while counting).
 *
 * <p>Together: each user's events in time order, repeats of one item in a row merged; an item and
 * each of the next {@code window} distinct items make a pair weighted 1 / distance, counted once
 * per user (the closest occurrence). Weight of b for a: c(a, b) / (n(a)^(1 - e) * n(b)^e), n the
 * users who touched the item.
 *
 * <p>Complements: each user's acquisitions (buys, or ratings in a log that has no buys) in time
 * order; a pair (a then b) when b came strictly later within the horizon, at most {@code window *
 * 5} acquisitions ahead, once per user. b is a's complement when at least {@code minSupport} users
 * acquired a then b and more did so than b then a; weight (f(a, b) - f(b, a)) / sqrt(acq(a)
 * acq(b)).
 */
public final class BehaviourModelBuilder {
  /** Smoothing of the conversion rate: views worth of the global rate added to every item. */
  private static final float CONVERSION_PRIOR_VIEWS = 20f;

  private final BehaviourParameters parameters;

  /** A builder with {@code parameters}. */
  public BehaviourModelBuilder(BehaviourParameters parameters) {
    this.parameters = parameters;
  }

  /** The model of {@code log}. */
  public BehaviourModel build(Interactions log) {
    long latest = log.latest();
    int[] users = log.usersPerItem();
    ItemStats stats = stats(log, latest, users);
    return new BehaviourModel(stats, together(log, users), complements(log), parameters, latest);
  }

  private ItemStats stats(Interactions log, long latest, int[] users) {
    int n = log.itemCount();
    int[] views = new int[n];
    int[] favs = new int[n];
    int[] carts = new int[n];
    int[] buys = new int[n];
    int[] ratings = new int[n];
    float[] popularity = new float[n];
    long[] first = new long[n];
    Arrays.fill(first, Long.MAX_VALUE);
    double decay = Math.log(2) / parameters.halfLifeSeconds();
    for (int u = 0; u < log.users(); u++) {
      for (int e = log.start(u); e < log.end(u); e++) {
        int item = log.item(e);
        switch (log.type(e)) {
          case VIEW -> views[item]++;
          case FAV -> favs[item]++;
          case CART -> carts[item]++;
          case BUY -> buys[item]++;
          case RATING -> ratings[item]++;
        }
        popularity[item] +=
            (float) (log.weight(e) * Math.exp(-decay * Math.max(0, latest - log.time(e))));
        first[item] = Math.min(first[item], log.time(e));
      }
    }
    long totalViews = 0;
    long totalBuys = 0;
    for (int i = 0; i < n; i++) {
      totalViews += views[i];
      totalBuys += buys[i];
    }
    float globalRate = totalViews == 0 ? 0f : Math.min(1f, totalBuys / (float) totalViews);
    float[] conversion = new float[n];
    for (int i = 0; i < n; i++) {
      conversion[i] =
          (buys[i] + CONVERSION_PRIOR_VIEWS * globalRate) / (views[i] + CONVERSION_PRIOR_VIEWS);
    }
    float[] ageDays = new float[n];
    for (int i = 0; i < n; i++) {
      ageDays[i] =
          first[i] == Long.MAX_VALUE ? Float.POSITIVE_INFINITY : (latest - first[i]) / 86_400f;
    }
    return ItemStats.of(views, favs, carts, buys, ratings, users, popularity, conversion, ageDays);
  }

  private ItemRelations together(Interactions log, int[] users) {
    int n = log.itemCount();
    IntFloatHashMap[] counts = new IntFloatHashMap[n];
    LongFloatHashMap pairs = new LongFloatHashMap();
    int[] sequence = new int[16];
    for (int u = 0; u < log.users(); u++) {
      int length = 0;
      for (int e = log.start(u); e < log.end(u); e++) {
        int item = log.item(e);
        if (length == 0 || sequence[length - 1] != item) {
          if (length == sequence.length) {
            sequence = Arrays.copyOf(sequence, length * 2);
          }
          sequence[length++] = item;
        }
      }
      pairs.clear();
      for (int i = 0; i < length; i++) {
        int a = sequence[i];
        for (int j = i + 1; j < Math.min(length, i + 1 + parameters.window()); j++) {
          int b = sequence[j];
          if (b != a) {
            long key = pairKey(a, b);
            float w = 1f / (j - i);
            if (w > pairs.get(key)) {
              pairs.put(key, w);
            }
          }
        }
      }
      pairs.forEachKeyValue(
          (key, w) -> {
            int a = (int) (key >>> 32);
            int b = (int) key;
            add(counts, a, b, w);
            add(counts, b, a, w);
          });
    }
    double e = parameters.popularityExponent();
    return topK(
        counts, n, (a, b, c) -> (float) (c / (Math.pow(users[a], 1 - e) * Math.pow(users[b], e))));
  }

  private ItemRelations complements(Interactions log) {
    int n = log.itemCount();
    boolean hasBuys = false;
    for (int e = 0; e < log.size() && !hasBuys; e++) {
      hasBuys = log.type(e) == EventType.BUY;
    }
    EventType acquisition = hasBuys ? EventType.BUY : EventType.RATING;
    IntIntHashMap[] follows = new IntIntHashMap[n];
    int[] acquired = new int[n];
    LongHashSet counted = new LongHashSet();
    IntHashSet seen = new IntHashSet();
    int[] items = new int[16];
    long[] times = new long[16];
    int reach = parameters.window() * 5;
    for (int u = 0; u < log.users(); u++) {
      int length = 0;
      seen.clear();
      for (int e = log.start(u); e < log.end(u); e++) {
        if (log.type(e) == acquisition && seen.add(log.item(e))) {
          if (length == items.length) {
            items = Arrays.copyOf(items, length * 2);
            times = Arrays.copyOf(times, length * 2);
          }
          items[length] = log.item(e);
          times[length++] = log.time(e);
          acquired[log.item(e)]++;
        }
      }
      counted.clear();
      for (int i = 0; i < length; i++) {
        for (int j = i + 1; j < Math.min(length, i + 1 + reach); j++) {
          long gap = times[j] - times[i];
          if (gap > parameters.complementHorizonSeconds()) {
            break;
          }
          if (gap > 0 && counted.add(((long) items[i] << 32) | items[j])) {
            if (follows[items[i]] == null) {
              follows[items[i]] = new IntIntHashMap();
            }
            follows[items[i]].addToValue(items[j], 1);
          }
        }
      }
    }
    IntFloatHashMap[] directed = new IntFloatHashMap[n];
    for (int a = 0; a < n; a++) {
      if (follows[a] == null) {
        continue;
      }
      int from = a;
      follows[a].forEachKeyValue(
          (b, ab) -> {
            int ba = follows[b] == null ? 0 : follows[b].get(from);
            if (ab >= parameters.complementMinSupport() && ab > ba) {
              add(
                  directed,
                  from,
                  b,
                  (float) ((ab - ba) / Math.sqrt((double) acquired[from] * acquired[b])));
            }
          });
    }
    return topK(directed, n, (a, b, w) -> w);
  }

  private static long pairKey(int a, int b) {
    return a < b ? ((long) a << 32) | b : ((long) b << 32) | a;
  }

  private static void add(IntFloatHashMap[] rows, int a, int b, float w) {
    if (rows[a] == null) {
      rows[a] = new IntFloatHashMap();
    }
    rows[a].addToValue(b, w);
  }

  /** How a row's raw value becomes an edge weight. */
  private interface EdgeWeight {
    float weight(int a, int b, float raw);
  }

  private ItemRelations topK(IntFloatHashMap[] rows, int n, EdgeWeight weight) {
    int k = parameters.neighbours();
    int[] offsets = new int[n + 1];
    int[][] rowItems = new int[n][];
    float[][] rowWeights = new float[n][];
    for (int a = 0; a < n; a++) {
      IntFloatHashMap row = rows[a];
      if (row == null || row.isEmpty()) {
        rowItems[a] = new int[0];
        rowWeights[a] = new float[0];
        continue;
      }
      int size = row.size();
      int[] bs = new int[size];
      float[] ws = new float[size];
      int[] fill = {0};
      int from = a;
      row.forEachKeyValue(
          (IntFloatProcedure)
              (b, raw) -> {
                bs[fill[0]] = b;
                ws[fill[0]++] = weight.weight(from, b, raw);
              });
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      Arrays.sort(
          order,
          (x, y) -> ws[x] != ws[y] ? Float.compare(ws[y], ws[x]) : Integer.compare(bs[x], bs[y]));
      int kept = Math.min(k, size);
      rowItems[a] = new int[kept];
      rowWeights[a] = new float[kept];
      for (int i = 0; i < kept; i++) {
        rowItems[a][i] = bs[order[i]];
        rowWeights[a][i] = ws[order[i]];
      }
    }
    for (int a = 0; a < n; a++) {
      offsets[a + 1] = offsets[a] + rowItems[a].length;
    }
    int[] neighbours = new int[offsets[n]];
    float[] weights = new float[offsets[n]];
    for (int a = 0; a < n; a++) {
      System.arraycopy(rowItems[a], 0, neighbours, offsets[a], rowItems[a].length);
      System.arraycopy(rowWeights[a], 0, weights, offsets[a], rowWeights[a].length);
    }
    return ItemRelations.of(offsets, neighbours, weights);
  }
}
