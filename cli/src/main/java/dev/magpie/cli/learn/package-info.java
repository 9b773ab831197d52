/**
 * {@code magpie eval} and {@code magpie train}: options and printed tables over the learn module,
 * which holds the evaluations, metrics and trainers themselves.
 */
package dev.magpie.cli.learn;
