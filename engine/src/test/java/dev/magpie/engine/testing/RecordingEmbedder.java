package dev.magpie.engine.testing;

import dev.magpie.engine.embed.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A deterministic bag-of-words embedder for tests: each lower-case word adds a fixed pseudo-random
 * direction, so texts sharing words are similar. Records every text it embeds.
 */
public final class RecordingEmbedder implements Embedder {
  /** The name it writes into manifests. */
  public static final String NAME = "test-bag-of-words";

  private final int dimension;
  private final List<String> texts = new CopyOnWriteArrayList<>();

  /** An embedder of {@code dimension} dimensions. */
  public RecordingEmbedder(int dimension) {
    this.dimension = dimension;
  }

  /** The texts embedded so far, in order. */
  public List<String> texts() {
    return List.copyOf(texts);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public float[] embed(String text) {
    texts.add(text);
    float[] v = new float[dimension];
    for (String word : text.toLowerCase(Locale.ROOT).split("\\s+")) {
      java.util.Random direction = new java.util.Random(word.hashCode());
      for (int i = 0; i < dimension; i++) {
        v[i] += (float) direction.nextGaussian();
      }
    }
    v[0] += 1e-3f; // never the zero vector
    return v;
  }

  @Override
  public List<float[]> embedAll(List<String> batch) {
    List<float[]> out = new ArrayList<>(batch.size());
    for (String t : batch) {
      out.add(embed(t));
    }
    return out;
  }

  @Override
  public void close() {}
}
