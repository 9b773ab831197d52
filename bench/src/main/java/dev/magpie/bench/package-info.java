/**
 * Benchmarks. JMH benchmarks live in {@code dev.magpie.bench.jmh}, each against a measured baseline
 * in the same run; {@code magpie jmh} runs them.
 */
package dev.magpie.bench;
