package dev.magpie.engine.recommend;

import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.behaviour.ItemRelations;
import dev.magpie.engine.rank.Feature;

/**
 * {@link Channel#TOGETHER} and {@link Channel#COMPLEMENT}: the behaviour model's relations spread
 * from every anchor, each neighbour getting the anchor's weight times the edge's. Complements only
 * when complements are asked for (not for similar items).
 */
final class BehaviourChannel implements CandidateChannel {
  private final BehaviourModel behaviour;

  BehaviourChannel(BehaviourModel behaviour) {
    this.behaviour = behaviour;
  }

  @Override
  public void collect(ChannelQuery query, Candidates candidates) {
    for (int a = 0; a < query.anchors().length; a++) {
      spread(behaviour.together(), query, a, Feature.TOGETHER, Channel.TOGETHER, candidates);
      if (!query.similar()) {
        spread(
            behaviour.complements(), query, a, Feature.COMPLEMENT, Channel.COMPLEMENT, candidates);
      }
    }
  }

  /** Passes anchor {@code a}'s weight times each edge weight of its row to its neighbours. */
  private static void spread(
      ItemRelations relations,
      ChannelQuery query,
      int a,
      Feature feature,
      Channel channel,
      Candidates candidates) {
    int from = query.anchors()[a];
    float weight = query.anchorWeights()[a];
    for (int e = relations.start(from), end = relations.end(from); e < end; e++) {
      int b = relations.neighbour(e);
      if (query.allowed().test(b)) {
        candidates.addEvidence(
            b, channel, feature, weight * relations.weight(e), from, query.anchorInContext(a));
      }
    }
  }
}
