package dev.magpie.engine.recommend;

import dev.magpie.engine.vector.VectorIndex;
import dev.magpie.engine.vector.VectorResult;

/**
 * {@link Channel#VECTOR}: the shard's items nearest the request's blended context and profile
 * vector; the planner keeps the nearest {@value #CANDIDATES} over all shards.
 */
final class VectorChannel implements CandidateChannel {
  /** Candidates taken from the vector channel. */
  static final int CANDIDATES = 50;

  private final VectorIndex vectors;

  VectorChannel(VectorIndex vectors) {
    this.vectors = vectors;
  }

  @Override
  public void collect(ChannelQuery query, LocalCandidates candidates) {
    float[] vector = query.query().queryVector();
    if (vector == null) {
      return;
    }
    VectorResult near =
        vectors.searchFiltered(
            vector, CANDIDATES, VectorIndex.DEFAULT_EF, query.allowed(), query.items().size());
    for (int i = 0; i < near.size(); i++) {
      candidates.addNearest(near.ordinals()[i], near.scores()[i]);
    }
  }
}
