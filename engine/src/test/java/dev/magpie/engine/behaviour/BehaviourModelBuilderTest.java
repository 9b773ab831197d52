package dev.magpie.engine.behaviour;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.testing.Seeded;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

@Seeded
class BehaviourModelBuilderTest {
  private static final long DAY = 86_400;

  @Test
  void togetherMatchesABruteForceCountOfEveryPair(Random random) {
    int items = 2 + random.nextInt(40);
    Interactions.Builder b = new Interactions.Builder(items);
    int users = 1 + random.nextInt(30);
    for (int e = 0; e < random.nextInt(600); e++) {
      b.add(
          "u" + random.nextInt(users),
          random.nextInt(items),
          EventType.values()[random.nextInt(4)],
          random.nextInt(1000),
          1f);
    }
    Interactions log = b.build();
    BehaviourParameters p =
        new BehaviourParameters(1 + random.nextInt(6), random.nextDouble(), 1000, DAY, 1, DAY);
    BehaviourModel model = new BehaviourModelBuilder(p).build(log);

    // Oracle: every user's merged sequence, every pair within the window, closest distance per
    // user.
    Map<Long, Double> counts = new HashMap<>();
    int[] touched = new int[items];
    for (int u = 0; u < log.users(); u++) {
      List<Integer> seq = new ArrayList<>();
      Set<Integer> distinct = new HashSet<>();
      for (int e = log.start(u); e < log.end(u); e++) {
        if (seq.isEmpty() || seq.getLast() != log.item(e)) {
          seq.add(log.item(e));
        }
        distinct.add(log.item(e));
      }
      distinct.forEach(i -> touched[i]++);
      Map<Long, Double> best = new HashMap<>();
      for (int i = 0; i < seq.size(); i++) {
        for (int j = i + 1; j < seq.size() && j - i <= p.window(); j++) {
          if (!seq.get(i).equals(seq.get(j))) {
            best.merge(key(seq.get(i), seq.get(j)), 1.0 / (j - i), Math::max);
            best.merge(key(seq.get(j), seq.get(i)), 1.0 / (j - i), Math::max);
          }
        }
      }
      best.forEach((k, w) -> counts.merge(k, w, Double::sum));
    }
    ItemRelations together = model.together();
    int edges = 0;
    for (int a = 0; a < items; a++) {
      float[] weights = together.weightsOf(a);
      for (int i = 1; i < weights.length; i++) {
        assertTrue(weights[i - 1] >= weights[i], "row " + a + " heaviest first");
      }
      for (int x : together.neighboursOf(a)) {
        double expected =
            counts.get(key(a, x))
                / (Math.pow(touched[a], 1 - p.popularityExponent())
                    * Math.pow(touched[x], p.popularityExponent()));
        assertEquals(expected, together.weight(a, x), 1e-4 * expected, "edge " + a + " -> " + x);
        edges++;
      }
    }
    assertEquals(counts.size(), edges, "every pair seen within the window is an edge");
  }

  private static long key(int a, int b) {
    return ((long) a << 32) | b;
  }

  @Test
  void complementsPointFromWhatComesFirst() {
    // item 0 phone, 1 case, 2 charger; phones are bought before cases, chargers either way.
    Interactions.Builder b = new Interactions.Builder(3);
    for (int u = 0; u < 6; u++) {
      b.add("u" + u, 0, EventType.BUY, 1000, 4f);
      b.add("u" + u, 1, EventType.BUY, 1000 + DAY, 4f);
    }
    b.add("u0", 2, EventType.BUY, 500, 4f);
    b.add("u1", 2, EventType.BUY, 5000 + DAY, 4f);
    b.add("u9", 1, EventType.BUY, 10, 4f);
    b.add("u9", 0, EventType.BUY, 20, 4f);
    b.add("u8", 1, EventType.BUY, 10, 4f);
    b.add("u8", 0, EventType.BUY, 10 + 40 * DAY, 4f); // beyond the 30-day horizon: not counted
    BehaviourModel model = new BehaviourModelBuilder(BehaviourParameters.DEFAULTS).build(b.build());
    ItemRelations complements = model.complements();
    assertArrayEquals(new int[] {1}, complements.neighboursOf(0), "phone -> case");
    assertArrayEquals(new int[0], complements.neighboursOf(1), "not case -> phone");
    assertEquals((6 - 1) / Math.sqrt(8.0 * 8.0), complements.weight(0, 1), 1e-6);
    assertEquals(0, complements.weight(0, 2), "seen once each way: below the support of 2");
  }

  @Test
  void statisticsCountEventsAndDecayPopularity() {
    Interactions.Builder b = new Interactions.Builder(3);
    b.add("a", 0, EventType.VIEW, 0, 1f);
    b.add("a", 0, EventType.VIEW, 14 * DAY, 1f);
    b.add("b", 0, EventType.CART, 14 * DAY, 3f);
    b.add("b", 0, EventType.BUY, 14 * DAY, 4f);
    b.add("b", 1, EventType.VIEW, 14 * DAY, 1f);
    ItemStats stats =
        new BehaviourModelBuilder(BehaviourParameters.DEFAULTS).build(b.build()).stats();
    assertEquals(2, stats.views(0));
    assertEquals(1, stats.carts(0));
    assertEquals(1, stats.buys(0));
    assertEquals(2, stats.users(0));
    assertEquals(1, stats.users(1));
    assertEquals(
        0.5f + 1 + 3 + 4,
        stats.popularity(0),
        1e-5,
        "the view 14 days (one half-life) old counts half");
    // global rate 1 buy / 3 views; item 0: (1 + 20/3) / (2 + 20)
    assertEquals((1 + 20f / 3) / 22f, stats.conversion(0), 1e-6);
    assertEquals(1f, stats.popularity(1), 1e-6, "a view now counts whole");
    assertEquals(14f, stats.ageDays(0), 1e-6, "first seen 14 days before the latest event");
    assertEquals(0f, stats.ageDays(1));
    assertEquals(Float.POSITIVE_INFINITY, stats.ageDays(2), "never seen");
    assertEquals(0.5f, stats.freshness(0, 14f), 1e-6, "one half-life old");
    assertEquals(1f, stats.freshness(1, 14f));
    assertEquals(0f, stats.freshness(2, 14f), "unknown is not new");
  }

  @Test
  void leaveLastOutHoldsEachUsersLatestEvent() {
    Interactions log =
        new Interactions.Builder(3)
            .add("a", 0, EventType.VIEW, 5, 1f)
            .add("a", 1, EventType.VIEW, 9, 1f)
            .add("a", 2, EventType.VIEW, 7, 1f)
            .add("b", 2, EventType.VIEW, 1, 1f)
            .build();
    Interactions.Split split = log.leaveLastOut(2);
    assertEquals(List.of(new Interactions.Held("a", 1, 9)), split.held());
    assertEquals(3, split.train().size(), "b has one event: kept whole, not evaluated");
    assertEquals(
        2, split.train().item(split.train().end(0) - 1), "a's remaining latest is item 2 at t=7");
  }
}
