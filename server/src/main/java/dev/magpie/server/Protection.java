package dev.magpie.server;

import dev.magpie.api.v1.MagpieGrpc;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * The protection every front door (a server, a router) stacks before its handlers, built from its
 * configuration: the adaptive, per-client-fair concurrency limit and, when asked for, the
 * per-client rate limit, with the brownout level they imply and their meters.
 *
 * @param limiter the concurrency limit
 * @param rateLimiter the per-client rate limit, or null when there is none
 */
record Protection(ConcurrencyLimitInterceptor limiter, RateLimitInterceptor rateLimiter) {
  /** The most calls the adaptive limit admits per request thread: one running, one waiting. */
  static final int CALLS_PER_THREAD = 2;

  /**
   * The protection {@code config} asks for over the calls of {@code services}.
   *
   * <p>The limit adapts between half the request threads and {@link #CALLS_PER_THREAD} per thread,
   * starting at one per thread. Searches are CPU-bound, so a long queue only adds latency, while
   * none at all refuses every chance burst: random arrivals fill all the threads now and then at
   * any moderate rate. Measured on Home Depot (2 cores, 4 threads, bench load's step test and 5x
   * overload from 150/s): at one call per thread 7.5% of searches were refused at 477/s and goodput
   * under overload was 509/s at an admitted p99 of 20 ms; at two, 5.3% at 477/s, none at 381/s, and
   * 588/s at 32 ms (3.2x the unloaded p99); at four, 68 ms (5.9x). The limit falls when latency
   * rises (a slow machine, a collector pause). Lookups take no slot; updates hand off and do not
   * hold one.
   */
  static Protection of(ServerConfig config, Set<String> services) {
    ConcurrencyLimitInterceptor limiter =
        new ConcurrencyLimitInterceptor(
            config.maxConcurrency(),
            Math.max(1, config.threads() / 2),
            config.threads(),
            config.threads() * CALLS_PER_THREAD,
            services,
            Set.of(MagpieGrpc.getGetItemsMethod().getFullMethodName()),
            Set.of(
                MagpieGrpc.getUpdateItemsMethod().getFullMethodName(),
                MagpieGrpc.getRecordEventsMethod().getFullMethodName()));
    RateLimitInterceptor rateLimiter =
        config.ratePerSecond() > 0
            ? new RateLimitInterceptor(
                config.ratePerSecond(),
                config.burst(),
                Set.of(MagpieGrpc.SERVICE_NAME),
                System::nanoTime)
            : null;
    return new Protection(limiter, rateLimiter);
  }

  /**
   * The brownout level now: how many optional stages to skip ({@link Brownout}), from the load that
   * stayed through the last window, not the calls in flight this instant.
   */
  IntSupplier brownout() {
    return () -> Brownout.level(limiter.standingInFlight(), limiter.limit());
  }

  /** Registers the protection's meters, read when scraped. */
  void register(MeterRegistry registry) {
    FunctionCounter.builder("magpie.shed", limiter, ConcurrencyLimitInterceptor::shed)
        .description("calls refused by the concurrency limit")
        .register(registry);
    FunctionCounter.builder(
            "magpie.shed.over.share", limiter, ConcurrencyLimitInterceptor::shedOverShare)
        .description(
            "of those, calls whose client held its fair share with the limit nearly reached")
        .register(registry);
    Gauge.builder("magpie.concurrency.limit", limiter, ConcurrencyLimitInterceptor::limit)
        .description("the concurrency limit now")
        .register(registry);
    Gauge.builder("magpie.in.flight", limiter, ConcurrencyLimitInterceptor::inFlight)
        .description("calls in flight under the limit")
        .register(registry);
    if (rateLimiter != null) {
      FunctionCounter.builder("magpie.rate.limited", rateLimiter, RateLimitInterceptor::refused)
          .description("calls refused by per-client rate limits")
          .register(registry);
    }
  }
}
