package dev.magpie.learn.search;

import dev.magpie.engine.embed.Embedder;
import dev.magpie.engine.search.SearchResult;
import dev.magpie.engine.search.VectorSearchRequest;
import dev.magpie.engine.search.VectorSearcher;
import dev.magpie.engine.snapshot.Snapshot;
import java.io.IOException;

/**
 * Magpie's vector search as shipped: the query embedded with the catalog's model (inside the timed
 * search, uncached), then the HNSW index at the default beam width. Scores given items by the
 * cosine of their vector with the query's. Not thread-safe (it remembers the last query's vector).
 */
public final class MagpieVectorSystem implements SearchSystem {
  private final String name;
  private final VectorSearcher searcher;
  private final Embedder embedder;
  private String lastQuery;
  private float[] lastVector;

  /** Vector search over {@code snapshot}, queries embedded by {@code embedder}. */
  public MagpieVectorSystem(String name, Snapshot snapshot, Embedder embedder) {
    this.name = name;
    this.searcher = new VectorSearcher(snapshot, embedder);
    this.embedder = embedder;
  }

  @Override
  public String name() {
    return name;
  }

  private float[] vector(String query) {
    if (!query.equals(lastQuery)) {
      lastVector = embedder.embed(query);
      lastQuery = query;
    }
    return lastVector;
  }

  @Override
  public int[] search(String query, int k) throws IOException {
    if (query.isBlank()) {
      return new int[0];
    }
    SearchResult result = searcher.search(VectorSearchRequest.vector(vector(query), k));
    return result.hits().stream().mapToInt(h -> h.ordinal()).toArray();
  }

  @Override
  public float[] score(String query, int[] ordinals) {
    return query.isBlank()
        ? new float[ordinals.length]
        : searcher.similarities(vector(query), ordinals);
  }
}
