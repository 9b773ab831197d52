/**
 * The {@code magpie} command line, the only thing the launcher runs. {@link
 * dev.magpie.cli.MagpieMain} is the entry point; commands implement {@link
 * dev.magpie.cli.MagpieSubcommand} and are found with {@link java.util.ServiceLoader}: this module
 * lists its own (load, inspect, search, generate, serve, query, eval, train), and the bench module
 * adds {@code bench} and {@code jmh} when the launcher puts it on the class path, so serving never
 * loads the measuring harness.
 */
package dev.magpie.cli;
