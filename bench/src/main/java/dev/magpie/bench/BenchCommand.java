package dev.magpie.bench;

import dev.magpie.bench.ann.AnnBenchCommand;
import dev.magpie.bench.ann.CatalogEmbedCommand;
import dev.magpie.bench.ann.VectorSetCommand;
import dev.magpie.bench.load.LoadBenchCommand;
import dev.magpie.bench.scale.ScaleCommand;
import dev.magpie.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code magpie bench}: speed measurements against baselines, in one run. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measures speed against baselines in the same run.",
    subcommands = {
      AnnBenchCommand.class,
      VectorSetCommand.class,
      CatalogEmbedCommand.class,
      LoadBenchCommand.class,
      ScaleCommand.class,
      PlotCommand.class
    })
public final class BenchCommand extends CommandGroup {}
