package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.api.v1.AdminGrpc;
import dev.magpie.api.v1.MagpieGrpc;
import io.grpc.Metadata;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Triage on the transport thread: only limited methods, only when full, and a client cannot forge it. */
class ConcurrencyLimitInterceptorTest {
  @Test
  void triageMarksOnlyLimitedCallsWhenFullAndDropsAForgedMark() {
    ConcurrencyLimitInterceptor limiter = new ConcurrencyLimitInterceptor(1, 1, 1, 1,
        Set.of(MagpieGrpc.SERVICE_NAME), Set.of(MagpieGrpc.getGetItemsMethod().getFullMethodName()), Set.of());
    Metadata forged = new Metadata();
    forged.put(ConcurrencyLimitInterceptor.OVER_CAPACITY, "1");
    assertTrue(limiter.triage(MagpieGrpc.getSearchMethod(), forged), "below the limit every call goes to the pool");
    assertFalse(forged.containsKey(ConcurrencyLimitInterceptor.OVER_CAPACITY), "a client's own mark is removed");

    ConcurrencyLimitInterceptor full = new ConcurrencyLimitInterceptor(1, 1, 1, 1,
        Set.of(MagpieGrpc.SERVICE_NAME), Set.of(MagpieGrpc.getGetItemsMethod().getFullMethodName()), Set.of());
    // Fill the one slot through the limiter itself, as a call in flight would.
    full.interceptCall(new NoopCall<>(MagpieGrpc.getSearchMethod()), new Metadata(), (call, headers) ->
        new io.grpc.ServerCall.Listener<>() {});
    Metadata headers = new Metadata();
    assertFalse(full.triage(MagpieGrpc.getSearchMethod(), headers), "at the limit a search is refused where it is");
    assertTrue(headers.containsKey(ConcurrencyLimitInterceptor.OVER_CAPACITY));
    assertTrue(full.triage(MagpieGrpc.getGetItemsMethod(), new Metadata()), "lookups are exempt");
    assertTrue(full.triage(AdminGrpc.getStatsMethod(), new Metadata()), "admin is never limited");
  }

  /** A call that is never answered: it holds its slot. */
  private static final class NoopCall<Q, A> extends io.grpc.ServerCall<Q, A> {
    private final io.grpc.MethodDescriptor<Q, A> method;

    NoopCall(io.grpc.MethodDescriptor<Q, A> method) {
      this.method = method;
    }

    @Override
    public void request(int numMessages) {}

    @Override
    public void sendHeaders(Metadata headers) {}

    @Override
    public void sendMessage(A message) {}

    @Override
    public void close(io.grpc.Status status, Metadata trailers) {}

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public io.grpc.MethodDescriptor<Q, A> getMethodDescriptor() {
      return method;
    }
  }
}
