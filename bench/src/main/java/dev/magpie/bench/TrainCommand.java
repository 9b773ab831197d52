package dev.magpie.bench;

import dev.magpie.bench.train.TrainSearchCommand;
import picocli.CommandLine.Command;

/** {@code magpie train}: ranking models fitted to judged data. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Fits ranking models to judged queries, reporting them on held-out data.",
    subcommands = {TrainSearchCommand.class})
public final class TrainCommand extends CommandGroup {}
