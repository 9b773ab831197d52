package dev.magpie.server;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Times every call from its arrival to its close, by method and status code, into a latency
 * histogram ({@code magpie_calls_seconds}): the outermost interceptor, so calls refused by
 * authentication, rate limits or the concurrency limit are counted with their codes too.
 * Thread-safe.
 */
final class MetricsInterceptor implements ServerInterceptor {
  private static final Status.Code[] CODES = Status.Code.values();

  private final MeterRegistry registry;

  /**
   * Per method, its timers by status code, registered on first use: no registry lookup per call.
   */
  private final Map<String, AtomicReferenceArray<Timer>> timers = new ConcurrentHashMap<>();

  MetricsInterceptor(MeterRegistry registry) {
    this.registry = registry;
  }

  private Timer timer(String method, Status.Code code) {
    AtomicReferenceArray<Timer> byCode =
        timers.computeIfAbsent(method, m -> new AtomicReferenceArray<>(CODES.length));
    Timer timer = byCode.get(code.ordinal());
    if (timer == null) {
      timer =
          Timer.builder("magpie.calls")
              .description("gRPC calls, from arrival to close")
              .tag("method", method)
              .tag("code", code.name())
              .publishPercentileHistogram()
              .register(registry);
      byCode.set(code.ordinal(), timer);
    }
    return timer;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    long start = System.nanoTime();
    String method = call.getMethodDescriptor().getFullMethodName();
    return next.startCall(
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            timer(method, status.getCode()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            super.close(status, trailers);
          }
        },
        headers);
  }
}
