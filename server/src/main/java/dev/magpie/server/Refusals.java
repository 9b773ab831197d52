package dev.magpie.server;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

/** How an interceptor turns a call away before it reaches a service. */
final class Refusals {
  /** The trailer that tells a refused caller when to retry (gRPC's retry pushback). */
  static final Metadata.Key<String> RETRY_PUSHBACK_MS =
      Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

  private Refusals() {}

  /**
   * Closes {@code call} with {@code status}, telling the caller to retry after {@code retryMs}
   * (none when negative), and returns the listener of a call that will hear nothing more.
   */
  static <Q, A> ServerCall.Listener<Q> refuse(ServerCall<Q, A> call, Status status, long retryMs) {
    call.close(status, retryMs >= 0 ? pushback(retryMs) : new Metadata());
    return new ServerCall.Listener<>() {};
  }

  /** Trailers telling the caller to retry after {@code retryMs}. */
  static Metadata pushback(long retryMs) {
    Metadata trailers = new Metadata();
    trailers.put(RETRY_PUSHBACK_MS, Long.toString(retryMs));
    return trailers;
  }
}
