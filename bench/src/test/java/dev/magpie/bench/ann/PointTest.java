package dev.magpie.bench.ann;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PointTest {
  private final List<Point> sweep =
      List.of(
          new Point("a", 10, 0.90, 5000),
          new Point("b", 10, 0.97, 9000),
          new Point("a", 20, 0.96, 3000),
          new Point("a", 40, 0.99, 1000));

  @Test
  void interpolatesBetweenThePointsAroundTheTarget() {
    assertEquals(3333.3, Point.qpsAtRecall(sweep, "a", 0.95), 0.1);
    assertEquals(3000, Point.qpsAtRecall(sweep, "a", 0.96), 1e-9);
  }

  @Test
  void firstPointWhenAlreadyThereAndNaNWhenNever() {
    assertEquals(9000, Point.qpsAtRecall(sweep, "b", 0.95));
    assertTrue(Double.isNaN(Point.qpsAtRecall(sweep, "a", 0.995)));
    assertTrue(Double.isNaN(Point.qpsAtRecall(sweep, "c", 0.5)));
  }

  @Test
  void recallCountsFoundTruthOverAllTruth() {
    int[][] truth = {{1, 2, 3, 4}, {5, 6, 7, 8}};
    int[][] found = {{4, 3, 9, 10}, {5, 6, 7, 8}};
    assertEquals(0.75, Recall.at(truth, found));
  }
}
