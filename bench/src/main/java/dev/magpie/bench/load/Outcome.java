package dev.magpie.bench.load;

/** How a generated request ended. */
enum Outcome {
  /** Answered in full. */
  OK,
  /**
   * Answered, but the server skipped part of the work to keep up (Magpie's brownout: no rerank, no
   * vector channel; OpenSearch: a search that timed out or missed a shard). Not a full answer: a
   * step that has these beyond its bound fails.
   */
  DEGRADED,
  /** Refused by the server's protection (RESOURCE_EXHAUSTED, HTTP 429): shed. */
  SHED,
  /** Its deadline passed. */
  TIMEOUT,
  /** Any other failure. */
  ERROR;

  /** Whether the request got an answer, full or degraded. */
  boolean answered() {
    return this == OK || this == DEGRADED;
  }
}
