/** {@code magpie train}: ranking models fitted to judged queries. */
package dev.magpie.bench.train;
