package dev.magpie.learn.search;

import java.io.IOException;

/** A system under evaluation: ranks items (by ordinal) for a query and scores given items. */
public interface SearchSystem {
  /** The row name in the results table. */
  String name();

  /** The ordinals of the top {@code k} items for {@code query}, best first. */
  int[] search(String query, int k) throws IOException;

  /** The system's score for each of {@code ordinals} (0 where it does not match). */
  float[] score(String query, int[] ordinals) throws IOException;
}
