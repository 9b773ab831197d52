package dev.magpie.cli.learn;

import dev.magpie.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code magpie train}: ranking models fitted to judged data. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Fits ranking models to judged queries or held-out interactions, reporting them on held-out data.",
    subcommands = {TrainSearchCommand.class, TrainRecommendCommand.class})
public final class TrainCommand extends CommandGroup {}
