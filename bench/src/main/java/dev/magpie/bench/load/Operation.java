package dev.magpie.bench.load;

import java.util.Locale;

/** What one generated request does. */
enum Operation {
  /** A hybrid search (reranked) for one of the queries. */
  SEARCH,
  /** A batch lookup of a few known ids. */
  GET,
  /** Recommendations for a shopper with one context item. */
  RECOMMEND,
  /** A stock update of one known item (needs a write key and a server with a log). */
  UPDATE,
  /**
   * A new item, titled like one of the queries, under an id no run used before (needs a write key
   * and a server with a log); each one stays in the server's delta until the next snapshot.
   */
  ADD;

  /** The name as the mix option spells it. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
