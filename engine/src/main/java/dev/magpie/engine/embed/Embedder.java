package dev.magpie.engine.embed;

import java.util.List;

/**
 * Turns text into a fixed-dimension vector for semantic search. Implementations are thread-safe.
 */
public interface Embedder extends AutoCloseable {
  /** Manifest build parameter naming the model that embedded a catalog ({@link #name()}). */
  String MANIFEST_PARAMETER = "embedder";

  /** Model name, recorded in the snapshot's manifest. */
  String name();

  /** Dimension of every vector it returns. */
  int dimension();

  /** The vector of one text. */
  float[] embed(String text);

  /**
   * Whether the model reads {@code word} (lower case) as a word of its own vocabulary, so that it
   * understands it as typed: such a word is not a typo to correct, even when the catalog never uses
   * it. False when the model cannot tell.
   */
  default boolean knowsWord(String word) {
    return false;
  }

  /** The vectors of {@code texts}, in order; faster per text than one at a time. */
  List<float[]> embedAll(List<String> texts);

  @Override
  void close();
}
