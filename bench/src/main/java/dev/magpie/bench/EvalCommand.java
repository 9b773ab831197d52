package dev.magpie.bench;

import dev.magpie.bench.eval.EvalSearchCommand;
import dev.magpie.loader.MagpieSubcommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code magpie eval}: quality evaluations against baselines. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Measures quality on judged data, next to a baseline in the same run.",
    subcommands = {EvalSearchCommand.class})
public final class EvalCommand implements MagpieSubcommand {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return USAGE;
  }
}
