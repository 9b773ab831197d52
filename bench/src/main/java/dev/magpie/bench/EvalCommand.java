package dev.magpie.bench;

import dev.magpie.bench.eval.EvalSearchCommand;
import picocli.CommandLine.Command;

/** {@code magpie eval}: quality evaluations against baselines. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Measures quality on judged data, next to a baseline in the same run.",
    subcommands = {EvalSearchCommand.class})
public final class EvalCommand extends CommandGroup {}
