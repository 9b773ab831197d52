package dev.magpie.bench;

import dev.magpie.loader.MagpieSubcommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands: run by itself, it prints its usage. */
abstract class CommandGroup implements MagpieSubcommand {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return USAGE;
  }
}
