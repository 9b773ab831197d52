package dev.magpie.cli;

import java.util.concurrent.Callable;

/**
 * A subcommand of {@code magpie}: a picocli {@code @Command} class listed in {@code
 * META-INF/services/dev.magpie.cli.MagpieSubcommand}. {@link #call()} returns the exit code.
 */
public interface MagpieSubcommand extends Callable<Integer> {
  /** Exit code: success. */
  int OK = 0;

  /** Exit code: the work was done but refused (a load rejected too much) or data is corrupt. */
  int FAILED = 1;

  /** Exit code: bad usage or unreadable input. */
  int USAGE = 2;
}
