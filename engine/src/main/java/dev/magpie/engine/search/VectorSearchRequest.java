package dev.magpie.engine.search;

import dev.magpie.engine.InvalidRequestException;
import dev.magpie.engine.vector.VectorIndex;
import java.util.Objects;

/**
 * A semantic search: text to embed, or a vector the caller embedded, never both.
 *
 * @param query text to embed with the catalog's model, or empty when {@code vector} is given
 * @param vector a query vector of the index's dimension, or null when {@code query} is given
 * @param k how many hits to return, 1 to {@link SearchRequest#MAX_K}
 * @param ef beam width of the graph search, 1 to {@link VectorIndex#MAX_EF}, or 0 for the default
 *     ({@link VectorIndex#DEFAULT_EF})
 * @param filters restrictions every hit satisfies, as for text search
 */
public record VectorSearchRequest(
    String query, float[] vector, int k, int ef, SearchFilters filters) {
  /** Checks every field, naming the bad value. */
  public VectorSearchRequest {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(filters, "filters");
    if (query.isBlank() == (vector == null)) {
      throw new InvalidRequestException(
          "query",
          vector == null
              ? "give the query text or a query vector"
              : "give the query text or a query vector, not both");
    }
    if (query.length() > SearchRequest.MAX_QUERY_CHARS) {
      throw new InvalidRequestException(
          "query",
          query.length()
              + " characters, at most "
              + SearchRequest.MAX_QUERY_CHARS
              + " are accepted");
    }
    if (k < 1 || k > SearchRequest.MAX_K) {
      throw new InvalidRequestException(
          "k", "must be from 1 to " + SearchRequest.MAX_K + ", got " + k);
    }
    if (ef < 0 || ef > VectorIndex.MAX_EF) {
      throw new InvalidRequestException(
          "ef", "must be from 1 to " + VectorIndex.MAX_EF + " (0: default), got " + ef);
    }
  }

  /** The top {@code k} for {@code text}, default beam, no filters. */
  public static VectorSearchRequest text(String text, int k) {
    return new VectorSearchRequest(text, null, k, 0, SearchFilters.NONE);
  }

  /** The top {@code k} for {@code vector}, default beam, no filters. */
  public static VectorSearchRequest vector(float[] vector, int k) {
    return new VectorSearchRequest("", vector, k, 0, SearchFilters.NONE);
  }

  /** This request with other filters. */
  public VectorSearchRequest withFilters(SearchFilters f) {
    return new VectorSearchRequest(query, vector, k, ef, f);
  }

  /** The beam width to search with. */
  int beamWidth() {
    return Math.max(k, ef == 0 ? VectorIndex.DEFAULT_EF : ef);
  }
}
