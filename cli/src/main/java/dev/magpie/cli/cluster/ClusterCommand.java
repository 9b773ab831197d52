package dev.magpie.cli.cluster;

import dev.magpie.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code magpie cluster}: a sharded Magpie with its update log. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "A sharded Magpie: shards, replicas, the Kafka update log and the router.",
    subcommands = {ClusterLocalCommand.class})
public final class ClusterCommand extends CommandGroup {}
