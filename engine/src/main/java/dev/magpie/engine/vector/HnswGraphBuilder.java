package dev.magpie.engine.vector;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.function.LongConsumer;
import org.eclipse.collections.api.list.primitive.MutableIntList;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;

/**
 * Builds an {@link HnswGraph} over int8 codes, in parallel and repeatably: the same codes,
 * parameters and seed give the same graph whatever the thread count.
 *
 * <p>Nodes are inserted in ordinal order, in batches. Within a batch, every node first plans its
 * links in parallel against the graph as it stood before the batch (read-only, so no locks), taking
 * the other members of its batch as extra candidates by exact comparison; then, on one thread and
 * in order, each node's links are written and the reverse links appended; finally the lists that
 * overflowed are pruned in parallel, each by one thread, with the same neighbour-selection
 * heuristic (a candidate is kept only if it is closer to the node than to every neighbour kept
 * before it). Early batches hold one node, later ones up to {@value #MAX_BATCH}.
 */
public final class HnswGraphBuilder {
  private static final int MAX_BATCH = 256;

  private final Int8Vectors vectors;
  private final HnswParameters params;
  private final int[] order;
  private final byte[] levels;
  private final int[] counts;
  private final int[][] upperIds;

  /**
   * Draws every node's level.
   *
   * @param vectors the codes, one row per ordinal
   * @param hasVector which ordinals have a vector (others get no links)
   */
  public HnswGraphBuilder(Int8Vectors vectors, IntPredicate hasVector, HnswParameters params) {
    this.vectors = vectors;
    this.params = params;
    int n = vectors.count();
    int[] ordered = new int[n];
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (hasVector.test(i)) {
        ordered[count++] = i;
      }
    }
    this.order = Arrays.copyOf(ordered, count);
    this.levels = new byte[n];
    SplittableRandom random = new SplittableRandom(params.seed());
    double ml = 1 / Math.log(params.m());
    int top = 0;
    for (int node : order) {
      int level =
          (int)
              Math.min(
                  HnswParameters.MAX_LEVELS - 1,
                  Math.floor(-Math.log(1 - random.nextDouble()) * ml));
      levels[node] = (byte) level;
      top = Math.max(top, level);
    }
    this.counts = new int[top + 1];
    counts[0] = n;
    for (int node : order) {
      for (int l = 1; l <= levels[node]; l++) {
        counts[l]++;
      }
    }
    this.upperIds = new int[top + 1][];
    int[] filled = new int[top + 1];
    for (int l = 1; l <= top; l++) {
      upperIds[l] = new int[counts[l]];
    }
    for (int node : order) {
      for (int l = 1; l <= levels[node]; l++) {
        upperIds[l][filled[l]++] = node;
      }
    }
  }

  /** Bytes the graph will take. */
  public long byteSize() {
    return HnswGraph.byteSize(counts, params.m());
  }

  /**
   * Builds the graph into memory owned by {@code arena} (a shared arena when {@code threads} > 1).
   *
   * @param threads worker threads (named magpie-hnsw-build-N); 1 builds on the calling thread
   * @param progress told the number of nodes inserted so far, after each batch
   */
  public HnswGraph build(Arena arena, int threads, LongConsumer progress)
      throws InterruptedException {
    MemorySegment body = arena.allocate(byteSize(), 64);
    HnswGraph graph = HnswGraph.format(body, params.m(), counts, upperIds);
    if (order.length == 0) {
      return graph;
    }
    try (Workers workers = new Workers(threads, vectors.count(), params.efConstruction())) {
      new Build(graph, workers).run(progress);
    }
    return graph;
  }

  /** The state of one build. */
  private final class Build {
    private final HnswGraph graph;
    private final Workers workers;
    private final LongObjectHashMap<MutableIntList> overflow = new LongObjectHashMap<>();
    private int topLevel;

    Build(HnswGraph graph, Workers workers) {
      this.graph = graph;
      this.workers = workers;
    }

    void run(LongConsumer progress) throws InterruptedException {
      int first = order[0];
      graph.setEntry(first);
      topLevel = levels[first];
      int inserted = 1;
      int[][][] plans = new int[MAX_BATCH][][];
      while (inserted < order.length) {
        int size =
            Math.min(order.length - inserted, Math.max(1, Math.min(MAX_BATCH, inserted / 16)));
        int start = inserted;
        int entry = graph.entry();
        int frozenTop = topLevel;
        workers.run(
            size, (w, j) -> plans[j] = plan(workers.search(w), start, size, j, entry, frozenTop));
        for (int j = 0; j < size; j++) {
          int node = order[start + j];
          for (int l = 0; l < plans[j].length; l++) {
            graph.setLinks(graph.block(l, node), plans[j][l], plans[j][l].length);
          }
        }
        for (int j = 0; j < size; j++) {
          int node = order[start + j];
          for (int l = 0; l < plans[j].length; l++) {
            for (int nb : plans[j][l]) {
              addReverse(l, nb, node);
            }
          }
          if (levels[node] > topLevel) {
            topLevel = levels[node];
            graph.setEntry(node);
          }
        }
        prune();
        inserted += size;
        progress.accept(inserted);
      }
    }

    /** The links of batch member {@code j} on each of its levels. */
    private int[][] plan(HnswSearch search, int start, int size, int j, int entry, int frozenTop) {
      int node = order[start + j];
      int level = levels[node];
      byte[] query = new byte[vectors.dim()];
      vectors.copyRow(node, query);
      VectorScorer scorer = vectors.scorer(query);
      int[][] links = new int[level + 1][];
      long at = ScoredNodes.pack(vectors.score(entry, node), entry);
      for (int l = frozenTop; l > level; l--) {
        at = search.greedy(graph, scorer, at, l);
      }
      long[] entries = {at};
      int entryCount = 1;
      long[] found = new long[params.efConstruction() + size];
      for (int l = level; l >= 0; l--) {
        int n = 0;
        if (l <= frozenTop) {
          search.searchLevel(
              graph, scorer, entries, entryCount, params.efConstruction(), l, null, Long.MAX_VALUE);
          n = search.drainBestFirst(found);
          entries = Arrays.copyOf(found, n);
          entryCount = n;
        }
        for (int k = 0; k < size; k++) {
          int other = order[start + k];
          if (k != j && levels[other] >= l) {
            found[n++] = ScoredNodes.pack(vectors.score(node, other), other);
          }
        }
        links[l] = select(node, found, n, params.maxLinks(l));
      }
      return links;
    }

    private void addReverse(int level, int node, int added) {
      long block = graph.block(level, node);
      int degree = graph.degree(block);
      for (int i = 0; i < degree; i++) {
        if (graph.neighbour(block, i) == added) {
          return;
        }
      }
      if (degree < params.maxLinks(level)) {
        graph.body().set(HnswGraph.INT, block + 4 + 4L * degree, added);
        graph.body().set(HnswGraph.INT, block, degree + 1);
      } else {
        overflow.getIfAbsentPut(((long) level << 32) | node, IntArrayList::new).add(added);
      }
    }

    /** Re-selects the links of every list that overflowed, in parallel, one thread per list. */
    private void prune() throws InterruptedException {
      if (overflow.isEmpty()) {
        return;
      }
      long[] keys = overflow.keySet().toSortedArray();
      workers.run(
          keys.length,
          (w, i) -> {
            int level = (int) (keys[i] >>> 32);
            int node = (int) keys[i];
            long block = graph.block(level, node);
            int degree = graph.degree(block);
            MutableIntList extra = overflow.get(keys[i]);
            long[] scored = new long[degree + extra.size()];
            for (int k = 0; k < degree; k++) {
              int nb = graph.neighbour(block, k);
              scored[k] = ScoredNodes.pack(vectors.score(node, nb), nb);
            }
            for (int k = 0; k < extra.size(); k++) {
              scored[degree + k] =
                  ScoredNodes.pack(vectors.score(node, extra.get(k)), extra.get(k));
            }
            int[] kept = select(node, scored, scored.length, params.maxLinks(level));
            graph.setLinks(block, kept, kept.length);
          });
      overflow.clear();
    }

    /**
     * The HNSW heuristic over {@code count} packed candidates of {@code node}: best first, keep a
     * candidate unless it is more similar to a kept one than to the node.
     */
    private int[] select(int node, long[] candidates, int count, int max) {
      long[] sorted = Arrays.copyOf(candidates, count);
      Arrays.sort(sorted);
      int[] kept = new int[Math.min(max, count)];
      int n = 0;
      int previous = -1;
      for (int i = count - 1; i >= 0 && n < kept.length; i--) {
        int candidate = ScoredNodes.node(sorted[i]);
        if (candidate == node || candidate == previous) {
          continue;
        }
        previous = candidate;
        int score = ScoredNodes.score(sorted[i]);
        boolean diverse = true;
        for (int k = 0; k < n && diverse; k++) {
          diverse = vectors.score(candidate, kept[k]) <= score;
        }
        if (diverse) {
          kept[n++] = candidate;
        }
      }
      return Arrays.copyOf(kept, n);
    }
  }

  /** A task over one index, told which worker runs it. */
  private interface IndexedTask {
    void run(int worker, int index);
  }

  /** Named worker threads, each with its own search state. */
  private static final class Workers implements AutoCloseable {
    private final HnswSearch[] searches;
    private final ExecutorService pool;

    Workers(int threads, int nodes, int ef) {
      int n = Math.max(1, threads);
      searches = new HnswSearch[n];
      for (int i = 0; i < n; i++) {
        searches[i] = new HnswSearch(nodes, ef);
      }
      AtomicInteger names = new AtomicInteger();
      pool =
          n == 1
              ? null
              : Executors.newFixedThreadPool(
                  n,
                  r -> {
                    Thread t = new Thread(r, "magpie-hnsw-build-" + names.getAndIncrement());
                    t.setDaemon(true);
                    return t;
                  });
    }

    HnswSearch search(int worker) {
      return searches[worker];
    }

    /** Runs {@code task} for every index in [0, count), spread over the workers; waits. */
    void run(int count, IndexedTask task) throws InterruptedException {
      if (pool == null || count == 1) {
        for (int i = 0; i < count; i++) {
          task.run(0, i);
        }
        return;
      }
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < searches.length; w++) {
        int worker = w;
        running.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    task.run(worker, i);
                  }
                }));
      }
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException r) {
            throw r;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(cause);
        }
      }
    }

    @Override
    public void close() {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }
}
