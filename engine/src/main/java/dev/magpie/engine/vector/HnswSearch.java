package dev.magpie.engine.vector;

import java.util.function.IntPredicate;

/**
 * One thread's search state over an HNSW graph and its codes: the visited set and the two heaps,
 * reused from search to search. Holds the search algorithms used both by queries and by the
 * builder's insertions. Not thread-safe.
 */
final class HnswSearch {
  private final VisitedNodes visited;

  /** Nodes to expand, best first (negated packing). */
  private final ScoredNodes candidates;

  /** The best accepted nodes found, worst at the root. */
  final ScoredNodes results;

  private long visitedCount;

  /**
   * One expansion's nodes to score (unvisited neighbours; with bridging, those the filter passes;
   * in the greedy descent, every neighbour).
   */
  private int[] passing = new int[64];

  /** One expansion's neighbours that the filter rejects: bridges to their own neighbours. */
  private int[] bridges = new int[64];

  /** The degree of each of {@link #bridges}. */
  private int[] bridgeDegrees = new int[64];

  /** The scores of {@link #passing}, scored together so that their code reads overlap. */
  private int[] scores = new int[64];

  HnswSearch(int nodes, int ef) {
    visited = new VisitedNodes(nodes);
    candidates = new ScoredNodes(ef * 4);
    results = new ScoredNodes(ef + 1);
  }

  /** Nodes scored by the last {@link #searchLevel} call. */
  long visitedCount() {
    return visitedCount;
  }

  /**
   * Greedy walk on {@code level} from {@code entry} towards the query: moves to the best neighbour
   * while it improves. Returns the packed (score, node) where it stops.
   */
  long greedy(HnswGraph graph, VectorScorer scorer, long from, int level) {
    int node = ScoredNodes.node(from);
    int score = ScoredNodes.score(from);
    boolean moved = true;
    while (moved) {
      moved = false;
      long block = graph.block(level, node);
      int degree = graph.degree(block);
      ensureRoom(degree);
      for (int i = 0; i < degree; i++) {
        passing[i] = graph.neighbour(block, i);
      }
      scorer.score(passing, degree, scores);
      for (int i = 0; i < degree; i++) {
        int nb = passing[i];
        int s = scores[i];
        if (s > score || (s == score && nb < node)) {
          score = s;
          node = nb;
          moved = true;
        }
      }
    }
    return ScoredNodes.pack(score, node);
  }

  /**
   * Beam search of width {@code ef} on {@code level} from {@code entries} (packed score, node).
   * Every node is expanded, but only nodes {@code accept} allows (all when null) enter {@link
   * #results}. Gives up, returning false, after scoring more than {@code visitLimit} nodes.
   */
  boolean searchLevel(
      HnswGraph graph,
      VectorScorer scorer,
      long[] entries,
      int entryCount,
      int ef,
      int level,
      IntPredicate accept,
      long visitLimit) {
    start(entries, entryCount, ef, accept);
    for (int node = nextToExpand(ef); node >= 0; node = nextToExpand(ef)) {
      long block = graph.block(level, node);
      int degree = graph.degree(block);
      ensureRoom(degree);
      int toScore = 0;
      for (int i = 0; i < degree; i++) {
        int nb = graph.neighbour(block, i);
        if (visited.visit(nb)) {
          passing[toScore++] = nb;
        }
      }
      if (!scoreAndFollow(scorer, toScore, ef, accept, visitLimit)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Scores the expansion's {@code toScore} nodes in {@link #passing} together; each that could
   * still improve full results becomes a candidate, and enters the results if {@code accept} (null:
   * all) passes it. False, scoring nothing, when that would score more than {@code visitLimit}
   * nodes in this search.
   */
  private boolean scoreAndFollow(
      VectorScorer scorer, int toScore, int ef, IntPredicate accept, long visitLimit) {
    visitedCount += toScore;
    if (visitedCount > visitLimit) {
      return false;
    }
    scorer.score(passing, toScore, scores);
    for (int i = 0; i < toScore; i++) {
      int nb = passing[i];
      int s = scores[i];
      if (results.size() < ef || s > ScoredNodes.score(results.top())) {
        candidates.push(ScoredNodes.negated(s, nb));
        if (accept == null || accept.test(nb)) {
          offer(ScoredNodes.pack(s, nb), ef);
        }
      }
    }
    return true;
  }

  /** Grows the per-expansion arrays to hold {@code degree} nodes. */
  private void ensureRoom(int degree) {
    if (passing.length < degree) {
      passing = new int[degree];
      bridges = new int[degree];
      bridgeDegrees = new int[degree];
      scores = new int[degree];
    }
  }

  /**
   * {@link #searchLevel} for a filter that passes few nodes, after ACORN-1 (Patel et al., SIGMOD
   * 2024): the walk scores and follows only nodes {@code accept} passes, and where a neighbour is
   * rejected it looks through it to that neighbour's own neighbours, so the passing nodes stay
   * connected although the graph was built over every node. Each expansion scores at most as many
   * nodes as the expanded node has neighbours. A rejected node is never scored: the filter test is
   * the cheap part, the code read and dot product the dear one. Gives up, returning false, after
   * scoring more than {@code visitLimit} nodes.
   */
  boolean searchLevelBridging(
      HnswGraph graph,
      VectorScorer scorer,
      long[] entries,
      int entryCount,
      int ef,
      int level,
      IntPredicate accept,
      long visitLimit) {
    start(entries, entryCount, ef, accept);
    for (int node = nextToExpand(ef); node >= 0; node = nextToExpand(ef)) {
      long block = graph.block(level, node);
      int degree = graph.degree(block);
      ensureRoom(degree);
      int toScore = 0;
      int rejected = 0;
      for (int i = 0; i < degree; i++) {
        int nb = graph.neighbour(block, i);
        if (visited.isVisited(nb)) {
          continue;
        }
        if (accept.test(nb)) {
          visited.visit(nb);
          passing[toScore++] = nb;
        } else {
          bridges[rejected++] = nb;
        }
      }
      // Every bridge's degree first: independent reads of blocks scattered over the graph, so their
      // cache misses overlap instead of following one another in the loop below.
      for (int b = 0; b < rejected; b++) {
        bridgeDegrees[b] = graph.degree(graph.block(level, bridges[b]));
      }
      for (int b = 0; b < rejected && toScore < degree; b++) {
        int bridge = bridges[b];
        // Looked through once; rejected nodes met only as a neighbour's neighbour stay unvisited so
        // that they may still bridge from elsewhere.
        if (!visited.visit(bridge)) {
          continue;
        }
        long far = graph.block(level, bridge);
        int farDegree = bridgeDegrees[b];
        for (int j = 0; j < farDegree && toScore < degree; j++) {
          int nb = graph.neighbour(far, j);
          if (!visited.isVisited(nb) && accept.test(nb)) {
            visited.visit(nb);
            passing[toScore++] = nb;
          }
        }
      }
      // Every node gathered passes the filter: no need to ask it again.
      if (!scoreAndFollow(scorer, toScore, ef, null, visitLimit)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Forgets the last search and sets out from {@code entries} (packed score, node): each is to be
   * expanded, and enters the results if {@code accept} (null: all) passes it.
   */
  private void start(long[] entries, int entryCount, int ef, IntPredicate accept) {
    visited.clear();
    candidates.clear();
    results.clear();
    visitedCount = 0;
    for (int i = 0; i < entryCount; i++) {
      long e = entries[i];
      int node = ScoredNodes.node(e);
      if (!visited.visit(node)) {
        continue;
      }
      visitedCount++;
      candidates.push(ScoredNodes.negated(ScoredNodes.score(e), node));
      if (accept == null || accept.test(node)) {
        offer(e, ef);
      }
    }
  }

  /** The best candidate left, or -1 when none is left or the best cannot improve full results. */
  private int nextToExpand(int ef) {
    if (candidates.isEmpty()) {
      return -1;
    }
    long c = candidates.pop();
    boolean hopeless =
        results.size() >= ef && -ScoredNodes.score(c) < ScoredNodes.score(results.top());
    return hopeless ? -1 : ScoredNodes.node(c);
  }

  private void offer(long scored, int ef) {
    results.pushBounded(scored, ef);
  }

  /** Drains {@link #results} into {@code out}, best first; returns how many. */
  int drainBestFirst(long[] out) {
    return results.drainBestFirst(out);
  }
}
