/** The loader's subcommands: {@code magpie load} and {@code magpie inspect}. */
package dev.magpie.loader.cli;
