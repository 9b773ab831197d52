/**
 * The {@code magpie} command line. {@link dev.magpie.loader.MagpieMain} is the entry point;
 * subcommands implement {@link dev.magpie.loader.MagpieSubcommand} and are found with
 * {@link java.util.ServiceLoader}, so modules further up (server, bench) add theirs without this
 * module knowing them.
 */
package dev.magpie.loader;
