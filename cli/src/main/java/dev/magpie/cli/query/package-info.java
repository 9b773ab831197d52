/** {@code magpie query}: calls a running server and prints readable tables. */
package dev.magpie.cli.query;
