package dev.magpie.learn.recommend;

import dev.magpie.engine.behaviour.Interactions;

/** A recommender under evaluation: trained on a log, then asked for each held-out user. */
public interface RecommenderSystem {
  /** Name in the results table. */
  String name();

  /** Learns from {@code train}. */
  void train(Interactions train);

  /**
   * The top {@code k} item ordinals for user {@code user} of the training log, none of them in the
   * user's training history.
   */
  int[] recommend(int user, int k);
}
