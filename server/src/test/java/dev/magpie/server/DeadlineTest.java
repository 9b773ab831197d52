package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.magpie.api.v1.RecommendRequest;
import dev.magpie.api.v1.RecommendResponse;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.SearchResponse;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.testing.TestSnapshots;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service stops a call whose caller has gone before its next stage. */
class DeadlineTest {
  @TempDir Path dir;

  /** Collects what the service answers. */
  private static final class Answer<T> implements StreamObserver<T> {
    T value;
    Status status;

    @Override
    public void onNext(T v) {
      value = v;
    }

    @Override
    public void onError(Throwable t) {
      status = Status.fromThrowable(t);
    }

    @Override
    public void onCompleted() {}
  }

  @Test
  void aCallWhoseCallerHasGoneIsStoppedBeforeTheWork() throws Exception {
    List<Item> items =
        List.of(TestSnapshots.item("a", "garden hose", "Acme", "Garden", 100, 1, Map.of()));
    Engines engines =
        new Engines(
            new Engine(
                TestSnapshots.build(dir.resolve("s"), items),
                null,
                RankingModel.SEARCH_DEFAULT,
                RankingModel.RECOMMEND_DEFAULT));
    MagpieService service = new MagpieService(engines, () -> 0, null);
    SearchRequest search = SearchRequest.newBuilder().setQuery("hose").setK(5).build();

    Answer<SearchResponse> live = new Answer<>();
    service.search(search, live);
    assertNull(live.status);
    assertEquals(1, live.value.getHitsCount());

    Context.CancellableContext cancelled = Context.current().withCancellation();
    cancelled.cancel(null);
    Answer<SearchResponse> gone = new Answer<>();
    cancelled.run(() -> service.search(search, gone));
    assertEquals(Status.Code.CANCELLED, gone.status.getCode());
    assertEquals("cancelled by the caller before search", gone.status.getDescription());

    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      Context.CancellableContext expired =
          Context.current().withDeadlineAfter(1, TimeUnit.NANOSECONDS, timer);
      Thread.sleep(20);
      Answer<RecommendResponse> late = new Answer<>();
      expired.run(() -> service.recommend(RecommendRequest.newBuilder().setK(3).build(), late));
      assertEquals(Status.Code.DEADLINE_EXCEEDED, late.status.getCode());
      assertEquals("deadline passed before recommend", late.status.getDescription());
      expired.cancel(null);
    } finally {
      timer.shutdownNow();
      engines.close();
    }
  }
}
