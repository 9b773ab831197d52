package dev.magpie.engine.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.behaviour.BehaviourModelBuilder;
import dev.magpie.engine.behaviour.BehaviourParameters;
import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.behaviour.Interactions;
import java.util.List;
import org.junit.jupiter.api.Test;

class BehaviourRecommenderTest {
  /** Items 0-1 go together, 2-3 go together, 4 is popular with everyone, 5 is bought after 0. */
  private static BehaviourModel model() {
    Interactions.Builder b = new Interactions.Builder(7);
    for (int u = 0; u < 5; u++) {
      b.add("x" + u, 0, EventType.BUY, 100, 4f).add("x" + u, 1, EventType.VIEW, 101, 1f)
          .add("x" + u, 5, EventType.BUY, 200, 4f);
      b.add("y" + u, 2, EventType.VIEW, 100, 1f).add("y" + u, 3, EventType.VIEW, 101, 1f);
    }
    for (int u = 0; u < 12; u++) {
      b.add("p" + u, 4, EventType.BUY, 150, 4f);
    }
    return new BehaviourModelBuilder(new BehaviourParameters(1, 0.5, 50, 86_400, 2, 86_400)).build(b.build());
  }

  @Test
  void recommendsWhatGoesWithTheHistoryAndSaysWhy() {
    List<Recommendation> recs = new BehaviourRecommender(model()).recommend(new int[] {0}, 3, i -> true);
    assertEquals(1, recs.get(0).ordinal(), "seen together with 0: " + recs);
    assertEquals(0, recs.get(0).because());
    assertTrue(recs.get(0).together() > 0);
    Recommendation five = recs.stream().filter(r -> r.ordinal() == 5).findFirst().orElseThrow();
    assertTrue(five.complement() > 0, "bought after 0: " + five);
    assertEquals(five.together() + five.complement() + five.popularity(), five.score(), 1e-6, "the score is its parts");
  }

  @Test
  void theLatestItemsWeighMostAndSeenItemsAreLeftOut() {
    BehaviourRecommender recommender = new BehaviourRecommender(model());
    assertEquals(3, recommender.recommend(new int[] {0, 2}, 1, i -> true).get(0).ordinal(), "2 is the latest");
    assertEquals(1, recommender.recommend(new int[] {2, 0}, 1, i -> true).get(0).ordinal(), "0 is the latest");
    assertTrue(recommender.recommend(new int[] {0, 1}, 7, i -> true).stream().noneMatch(r -> r.ordinal() <= 1));
  }

  @Test
  void popularItemsFillWhatRelationsDoNotReachAndFiltersHold() {
    BehaviourRecommender recommender = new BehaviourRecommender(model());
    List<Recommendation> cold = recommender.recommend(new int[0], 2, i -> true);
    assertEquals(4, cold.get(0).ordinal(), "nothing known: the most popular first");
    assertEquals(-1, cold.get(0).because());
    assertTrue(recommender.recommend(new int[] {0}, 7, i -> i != 1).stream().noneMatch(r -> r.ordinal() == 1));
    assertEquals(6, recommender.recommend(new int[] {0}, 7, i -> true).size(), "every item but the one seen");
  }
}
