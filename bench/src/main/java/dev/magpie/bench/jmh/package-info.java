/**
 * JMH benchmarks. Each compares a Magpie component with a baseline in the same run; results are
 * consumed (returned or sunk) so the JIT cannot remove the work.
 */
package dev.magpie.bench.jmh;
