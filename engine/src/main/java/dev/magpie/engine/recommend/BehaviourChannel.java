package dev.magpie.engine.recommend;

/**
 * {@link Channel#TOGETHER} and {@link Channel#COMPLEMENT}, the shard's part: the planner spread
 * behaviour from every anchor over the relations (each neighbour getting the anchor's weight times
 * the edge's) and names the neighbours this shard holds; the shard keeps those the request allows.
 */
final class BehaviourChannel implements CandidateChannel {
  @Override
  public void collect(ChannelQuery query, LocalCandidates candidates) {
    for (int target : query.query().targets()) {
      if (query.allowed().test(target)) {
        candidates.addTarget(target);
      }
    }
  }
}
