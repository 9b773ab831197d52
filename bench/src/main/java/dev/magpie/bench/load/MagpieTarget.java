package dev.magpie.bench.load;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.ItemUpdate;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.NewItem;
import dev.magpie.api.v1.RecommendRequest;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.SearchResponse;
import dev.magpie.api.v1.UpdateItemsRequest;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A Magpie server over gRPC, through the non-blocking stub: every operation, each call with the
 * run's deadline. A search whose response lists skipped stages (brownout) ended {@link
 * Outcome#DEGRADED}; RESOURCE_EXHAUSTED is a shed, DEADLINE_EXCEEDED a timeout.
 */
final class MagpieTarget implements LoadTarget {
  private final MagpieGrpc.MagpieFutureStub stub;
  private final Duration deadline;

  /** Calls through {@code stub} (whose channel the caller owns), each with {@code deadline}. */
  MagpieTarget(MagpieGrpc.MagpieFutureStub stub, Duration deadline) {
    this.stub = stub;
    this.deadline = deadline;
  }

  @Override
  public CompletableFuture<Outcome> search(String query, int k) {
    return ended(
        stub().search(SearchRequest.newBuilder().setQuery(query).setK(k).build()),
        (SearchResponse r) -> r.getDegradedCount() == 0 ? Outcome.OK : Outcome.DEGRADED);
  }

  @Override
  public CompletableFuture<Outcome> get(List<String> ids) {
    return ended(
        stub().getItems(GetItemsRequest.newBuilder().addAllIds(ids).build()), r -> Outcome.OK);
  }

  @Override
  public CompletableFuture<Outcome> recommend(String user, String context, int k) {
    return ended(
        stub()
            .recommend(
                RecommendRequest.newBuilder().setUser(user).addContext(context).setK(k).build()),
        r -> Outcome.OK);
  }

  @Override
  public CompletableFuture<Outcome> update(String id, int stock) {
    return ended(
        stub()
            .updateItems(
                UpdateItemsRequest.newBuilder()
                    .addUpdates(ItemUpdate.newBuilder().setItemId(id).setStock(stock))
                    .build()),
        r -> Outcome.OK);
  }

  @Override
  public CompletableFuture<Outcome> add(String id, String title, int stock) {
    return ended(
        stub()
            .updateItems(
                UpdateItemsRequest.newBuilder()
                    .addUpdates(
                        ItemUpdate.newBuilder()
                            .setItemId(id)
                            .setStock(stock)
                            .setNewItem(NewItem.newBuilder().setTitle(title)))
                    .build()),
        r -> Outcome.OK);
  }

  /** The channel is the caller's. */
  @Override
  public void close() {}

  private MagpieGrpc.MagpieFutureStub stub() {
    return stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * How {@code call} ended, {@code answered} judging a response; completed on the transport thread.
   */
  private static <T> CompletableFuture<Outcome> ended(
      ListenableFuture<T> call, Function<T, Outcome> answered) {
    CompletableFuture<Outcome> out = new CompletableFuture<>();
    call.addListener(() -> out.complete(outcome(call, answered)), MoreExecutors.directExecutor());
    return out;
  }

  private static <T> Outcome outcome(ListenableFuture<T> done, Function<T, Outcome> answered) {
    try {
      return answered.apply(done.get());
    } catch (ExecutionException e) {
      Status.Code code = Status.fromThrowable(e.getCause()).getCode();
      return code == Status.Code.RESOURCE_EXHAUSTED
          ? Outcome.SHED
          : code == Status.Code.DEADLINE_EXCEEDED ? Outcome.TIMEOUT : Outcome.ERROR;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.ERROR;
    }
  }
}
