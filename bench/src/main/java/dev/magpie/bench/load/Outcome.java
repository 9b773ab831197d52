package dev.magpie.bench.load;

/** How a generated request ended. */
enum Outcome {
  /** Answered. */
  OK,
  /** Refused by the server's protection (RESOURCE_EXHAUSTED): shed. */
  SHED,
  /** Its deadline passed. */
  TIMEOUT,
  /** Any other failure. */
  ERROR
}
