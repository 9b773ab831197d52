package dev.magpie.cli.learn;

import dev.magpie.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code magpie eval}: quality evaluations against baselines. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Measures quality on judged data, next to a baseline in the same run.",
    subcommands = {EvalSearchCommand.class, EvalRecommendCommand.class})
public final class EvalCommand extends CommandGroup {}
