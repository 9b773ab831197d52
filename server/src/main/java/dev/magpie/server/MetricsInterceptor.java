package dev.magpie.server;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Times every call from its arrival to its close, by method and status code, into a latency
 * histogram ({@code magpie_calls_seconds}): the outermost interceptor, so calls refused by
 * authentication, rate limits or the concurrency limit are counted with their codes too. Thread-safe.
 */
final class MetricsInterceptor implements ServerInterceptor {
  private final MeterRegistry registry;

  MetricsInterceptor(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    long start = System.nanoTime();
    String method = call.getMethodDescriptor().getFullMethodName();
    return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        Timer.builder("magpie.calls").description("gRPC calls, from arrival to close")
            .tag("method", method).tag("code", status.getCode().name())
            .publishPercentileHistogram().register(registry)
            .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        super.close(status, trailers);
      }
    }, headers);
  }
}
