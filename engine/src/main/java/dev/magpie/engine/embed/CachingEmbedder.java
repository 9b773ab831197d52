package dev.magpie.engine.embed;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link Embedder} that remembers the vectors of recent texts (least recently used first out, at
 * most {@code capacity}): agents repeat queries, and an embedding costs milliseconds. Cached
 * vectors are shared; callers must not change them.
 */
public final class CachingEmbedder implements Embedder {
  private final Embedder embedder;
  private final Map<String, float[]> cache;
  private long hits;
  private long misses;

  /** Caches up to {@code capacity} vectors of {@code embedder}, which this closes. */
  public CachingEmbedder(Embedder embedder, int capacity) {
    this.embedder = embedder;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
            return size() > capacity;
          }
        };
  }

  @Override
  public String name() {
    return embedder.name();
  }

  @Override
  public int dimension() {
    return embedder.dimension();
  }

  @Override
  public boolean knowsWord(String word) {
    return embedder.knowsWord(word);
  }

  @Override
  public float[] embed(String text) {
    synchronized (cache) {
      float[] cached = cache.get(text);
      if (cached != null) {
        hits++;
        return cached;
      }
      misses++;
    }
    float[] vector = embedder.embed(text);
    synchronized (cache) {
      cache.put(text, vector);
    }
    return vector;
  }

  @Override
  public List<float[]> embedAll(List<String> texts) {
    return embedder.embedAll(texts);
  }

  /** Lookups answered from the cache. */
  public long hits() {
    synchronized (cache) {
      return hits;
    }
  }

  /** Lookups that ran the model. */
  public long misses() {
    synchronized (cache) {
      return misses;
    }
  }

  @Override
  public void close() {
    embedder.close();
  }
}
