package dev.magpie.bench;

import dev.magpie.bench.ann.AnnBenchCommand;
import dev.magpie.loader.MagpieSubcommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code magpie bench}: speed measurements against baselines, in one run. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measures speed against baselines in the same run.",
    subcommands = {AnnBenchCommand.class})
public final class BenchCommand implements MagpieSubcommand {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return USAGE;
  }
}
