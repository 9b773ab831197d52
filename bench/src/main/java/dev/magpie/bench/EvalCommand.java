package dev.magpie.bench;

import dev.magpie.bench.eval.EvalSearchCommand;
import dev.magpie.bench.recommend.EvalRecommendCommand;
import picocli.CommandLine.Command;

/** {@code magpie eval}: quality evaluations against baselines. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Measures quality on judged data, next to a baseline in the same run.",
    subcommands = {EvalSearchCommand.class, EvalRecommendCommand.class})
public final class EvalCommand extends CommandGroup {}
