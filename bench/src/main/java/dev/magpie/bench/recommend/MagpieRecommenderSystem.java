package dev.magpie.bench.recommend;

import dev.magpie.engine.behaviour.BehaviourModelBuilder;
import dev.magpie.engine.behaviour.BehaviourParameters;
import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.engine.recommend.BehaviourRecommender;
import dev.magpie.engine.recommend.Recommendation;
import java.util.List;

/** Magpie: the behaviour model built from the training log, and its recommender. */
final class MagpieRecommenderSystem implements RecommenderSystem {
  private final BehaviourParameters parameters;
  private Interactions log;
  private BehaviourRecommender recommender;

  MagpieRecommenderSystem(BehaviourParameters parameters) {
    this.parameters = parameters;
  }

  @Override
  public String name() {
    return "magpie";
  }

  @Override
  public void train(Interactions train) {
    log = train;
    recommender = new BehaviourRecommender(new BehaviourModelBuilder(parameters).build(train));
  }

  @Override
  public int[] recommend(int user, int k) {
    List<Recommendation> recs = recommender.recommend(log.items(user), k, item -> true);
    return recs.stream().mapToInt(Recommendation::ordinal).toArray();
  }
}
