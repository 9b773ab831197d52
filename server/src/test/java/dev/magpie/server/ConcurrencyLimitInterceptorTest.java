package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.api.v1.AdminGrpc;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.SearchResponse;
import io.grpc.Metadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Triage on the transport thread: only limited methods, only when full or when the caller holds its
 * share, and a client cannot forge it; one client's cap while another calls.
 */
class ConcurrencyLimitInterceptorTest {
  @Test
  void triageMarksOnlyLimitedCallsWhenFullAndDropsAForgedMark() {
    ConcurrencyLimitInterceptor limiter =
        new ConcurrencyLimitInterceptor(
            1,
            1,
            1,
            1,
            Set.of(MagpieGrpc.SERVICE_NAME),
            Set.of(MagpieGrpc.getGetItemsMethod().getFullMethodName()),
            Set.of());
    Metadata forged = new Metadata();
    forged.put(ConcurrencyLimitInterceptor.OVER_CAPACITY, "1");
    assertTrue(
        limiter.triage(new NoopCall<>(MagpieGrpc.getSearchMethod()), forged),
        "below the limit every call goes to the pool");
    assertFalse(
        forged.containsKey(ConcurrencyLimitInterceptor.OVER_CAPACITY),
        "a client's own mark is removed");

    ConcurrencyLimitInterceptor full =
        new ConcurrencyLimitInterceptor(
            1,
            1,
            1,
            1,
            Set.of(MagpieGrpc.SERVICE_NAME),
            Set.of(MagpieGrpc.getGetItemsMethod().getFullMethodName()),
            Set.of());
    // Fill the one slot through the limiter itself, as a call in flight would.
    full.interceptCall(
        new NoopCall<>(MagpieGrpc.getSearchMethod()),
        new Metadata(),
        (call, headers) -> new io.grpc.ServerCall.Listener<>() {});
    Metadata headers = new Metadata();
    assertFalse(
        full.triage(new NoopCall<>(MagpieGrpc.getSearchMethod()), headers),
        "at the limit a search is refused where it is");
    assertTrue(headers.containsKey(ConcurrencyLimitInterceptor.OVER_CAPACITY));
    assertTrue(
        full.triage(new NoopCall<>(MagpieGrpc.getGetItemsMethod()), new Metadata()),
        "lookups are exempt");
    assertTrue(
        full.triage(new NoopCall<>(AdminGrpc.getStatsMethod()), new Metadata()),
        "admin is never limited");
  }

  @Test
  void whileAnotherClientCallsNoClientHoldsMoreThanThreeQuartersOfTheLimit() {
    ConcurrencyLimitInterceptor limiter =
        new ConcurrencyLimitInterceptor(
            4, 1, 4, 4, Set.of(MagpieGrpc.SERVICE_NAME), Set.of(), Set.of());
    List<io.grpc.ServerCall<SearchRequest, SearchResponse>> admitted = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      NoopCall<SearchRequest, SearchResponse> call = call(limiter, "greedy-key", admitted);
      assertNull(call.closed, "alone, a client may take every slot: call " + i);
    }
    // A second client arrives to a full limit: refused where it is, but now counted as calling.
    assertEquals(
        io.grpc.Status.Code.RESOURCE_EXHAUSTED,
        call(limiter, "modest-key", admitted).closed.getCode());
    // One greedy call ends: it holds 3 of 4, the most one client may while another calls.
    admitted.getFirst().close(io.grpc.Status.OK, new Metadata());
    NoopCall<SearchRequest, SearchResponse> refused = call(limiter, "greedy-key", admitted);
    assertEquals(io.grpc.Status.Code.RESOURCE_EXHAUSTED, refused.closed.getCode());
    assertTrue(
        refused.closed.getDescription().contains("the most one client may hold of a limit of 4"),
        refused.closed.getDescription());
    assertNull(
        call(limiter, "modest-key", admitted).closed, "the slot kept free is the modest client's");
    assertEquals(4, limiter.inFlight());
    assertEquals(1, limiter.shedOverShare());
  }

  /**
   * A search presenting {@code key}, triaged and intercepted; admitted calls are added to {@code
   * admitted}.
   */
  private static NoopCall<SearchRequest, SearchResponse> call(
      ConcurrencyLimitInterceptor limiter,
      String key,
      List<io.grpc.ServerCall<SearchRequest, SearchResponse>> admitted) {
    NoopCall<SearchRequest, SearchResponse> call = new NoopCall<>(MagpieGrpc.getSearchMethod());
    Metadata headers = new Metadata();
    headers.put(AuthInterceptor.API_KEY, key);
    boolean toPool = limiter.triage(call, headers);
    limiter.interceptCall(
        call,
        headers,
        (c, h) -> {
          admitted.add(c);
          return new io.grpc.ServerCall.Listener<SearchRequest>() {};
        });
    assertEquals(toPool, call.closed == null, "triage foresaw the refusal");
    return call;
  }

  /** A call that is never answered: it holds its slot until closed. */
  private static final class NoopCall<Q, A> extends io.grpc.ServerCall<Q, A> {
    private final io.grpc.MethodDescriptor<Q, A> method;
    io.grpc.Status closed;

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
    public void close(io.grpc.Status status, Metadata trailers) {
      closed = status;
    }

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
