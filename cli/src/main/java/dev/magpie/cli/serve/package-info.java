/**
 * {@code magpie serve}: turns options into a validated server configuration, loads the bundled
 * sample when the store is empty, and runs the server module's {@code MagpieServer} until Ctrl-C.
 */
package dev.magpie.cli.serve;
