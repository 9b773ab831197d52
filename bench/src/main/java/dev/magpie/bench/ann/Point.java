package dev.magpie.bench.ann;

import java.util.List;

/**
 * One measured setting of one index: recall@10 and single-thread queries per second at an efSearch.
 *
 * @param impl which index
 * @param ef efSearch (0 for exact search)
 * @param recall recall@10 against the exact neighbours
 * @param qps queries per second, one thread
 */
record Point(String impl, int ef, double recall, double qps) {
  /**
   * {@code impl}'s queries per second where its sweep (in the order measured) first reaches {@code
   * target} recall, interpolated linearly between the points either side; the first point's when it
   * is already there; NaN when no point is.
   */
  static double qpsAtRecall(List<Point> points, String impl, double target) {
    Point before = null;
    for (Point p : points) {
      if (!p.impl().equals(impl)) {
        continue;
      }
      if (p.recall() >= target) {
        if (before == null) {
          return p.qps();
        }
        double t = (target - before.recall()) / (p.recall() - before.recall());
        return before.qps() + t * (p.qps() - before.qps());
      }
      before = p;
    }
    return Double.NaN;
  }
}
