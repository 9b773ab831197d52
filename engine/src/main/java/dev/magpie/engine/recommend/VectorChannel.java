package dev.magpie.engine.recommend;

import dev.magpie.engine.vector.VectorIndex;
import dev.magpie.engine.vector.VectorResult;

/** {@link Channel#VECTOR}: the items nearest the request's blended context and profile vector. */
final class VectorChannel implements CandidateChannel {
  /** Candidates taken from the vector channel. */
  static final int CANDIDATES = 50;

  private final VectorIndex vectors;

  VectorChannel(VectorIndex vectors) {
    this.vectors = vectors;
  }

  @Override
  public void collect(ChannelQuery query, Candidates candidates) {
    if (query.queryVector() == null) {
      return;
    }
    VectorResult near =
        vectors.searchFiltered(
            query.queryVector(),
            CANDIDATES,
            VectorIndex.DEFAULT_EF,
            query.allowed(),
            query.items().size());
    for (int i = 0; i < near.size(); i++) {
      candidates.addFound(near.ordinals()[i], Channel.VECTOR);
    }
  }
}
