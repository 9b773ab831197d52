package dev.magpie.server;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids for errors of Magpie's own: the caller gets the id instead of the exception's message (which
 * may show paths, classes or data), and the server logs the exception under the same id. Eight hex
 * digits, random, so that two servers' logs rarely share one; not secret, not unique by contract.
 */
final class ErrorIds {
  private ErrorIds() {}

  /** A new id, such as {@code E-3fa91c07}. */
  static String next() {
    return String.format("E-%08x", ThreadLocalRandom.current().nextInt());
  }
}
