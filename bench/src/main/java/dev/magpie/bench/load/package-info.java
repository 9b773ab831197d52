/**
 * {@code magpie bench load}: an open-loop, constant-rate gRPC load generator free of coordinated
 * omission (latency counted from each request's intended send time, into HdrHistogram).
 */
package dev.magpie.bench.load;
