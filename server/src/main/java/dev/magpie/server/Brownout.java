package dev.magpie.server;

import java.util.ArrayList;
import java.util.List;

/**
 * How much of a search to skip when the server has stayed near its concurrency limit, so that it
 * keeps answering everyone rather than timing out: first the reranker, then the vector channel (the
 * query embedding and the ANN search, the costliest stages). Responses list what was skipped, so a
 * degraded answer is never passed off as a full one.
 *
 * <p>The load read is the standing one ({@link StandingLoad}: the calls in flight averaged over the
 * last 100 ms), not the count this instant. With the limit at the request threads (4 on 2 cores),
 * random arrivals fill all four now and then at any moderate rate; reading the instant count, a
 * Home Depot step test at 305 searches/s answered 3.4% of its searches degraded on a server that
 * held 596/s with full answers when nothing was skipped.
 */
final class Brownout {
  /** Share of the limit in flight from which the reranker is skipped. */
  static final double SKIP_RERANK = 0.75;

  /** Share of the limit in flight from which the vector channel is skipped too. */
  static final double SKIP_VECTOR = 0.9;

  /**
   * Standing load below which nothing is skipped, whatever the limit (one call at a time, at a
   * limit of 1, is not pressure).
   */
  static final double MIN_IN_FLIGHT = 2;

  private Brownout() {}

  /**
   * The level for a standing load of {@code inFlight} calls (a mean over time) at a limit of {@code
   * limit}: 0 full, 1 no rerank, 2 no vectors either.
   */
  static int level(double inFlight, int limit) {
    if (inFlight < MIN_IN_FLIGHT || limit <= 0) {
      return 0;
    }
    double share = inFlight / limit;
    return share >= SKIP_VECTOR ? 2 : share >= SKIP_RERANK ? 1 : 0;
  }

  /** The stages a level skips, as responses name them. */
  static List<String> skipped(int level) {
    List<String> out = new ArrayList<>(2);
    if (level >= 1) {
      out.add("rerank");
    }
    if (level >= 2) {
      out.add("vector");
    }
    return out;
  }
}
