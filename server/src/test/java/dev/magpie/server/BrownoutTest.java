package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.SearchResponse;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.testing.TestSnapshots;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrownoutTest {
  @TempDir Path dir;

  @Test
  void levelsFollowTheShareOfTheLimitInFlight() {
    assertEquals(0, Brownout.level(1.9, 2), "a call or two at a time is never pressure");
    assertEquals(0, Brownout.level(7.4, 10));
    assertEquals(1, Brownout.level(7.5, 10));
    assertEquals(1, Brownout.level(3.2, 4));
    assertEquals(2, Brownout.level(3.6, 4));
    assertEquals(2, Brownout.level(9, 10));
    assertEquals(2, Brownout.level(40, 10));
    assertEquals(List.of(), Brownout.skipped(0));
    assertEquals(List.of("rerank", "vector"), Brownout.skipped(2));
  }

  @Test
  void aDegradedAnswerSaysWhatItSkippedAndIsNotServedAsAFullOne() throws Exception {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      items.add(
          TestSnapshots.item(
              "i" + i,
              "garden hose" + " with brass fittings".repeat(i % 4) + " " + i,
              "Acme",
              "Garden",
              100 + i,
              1,
              Map.of()));
    }
    Engines engines =
        new Engines(
            new Engine(
                TestSnapshots.build(dir.resolve("s"), items),
                null,
                RankingModel.SEARCH_DEFAULT,
                RankingModel.RECOMMEND_DEFAULT,
                Duration.ofMinutes(5)));
    AtomicInteger level = new AtomicInteger();
    MagpieService service = new MagpieService(engines, level::get, null);
    SearchRequest request = SearchRequest.newBuilder().setQuery("garden hose").setK(5).build();
    try {
      SearchResponse full = search(service, request);
      assertEquals(List.of(), full.getDegradedList());
      assertEquals("search-default", full.getModel());
      assertFalse(full.getHits(0).getPartsList().isEmpty());
      level.set(1);
      SearchResponse noRerank = search(service, request);
      assertEquals(
          List.of("rerank"), noRerank.getDegradedList(), "the kept full answer is not reused");
      assertEquals("hybrid", noRerank.getModel());
      assertTrue(noRerank.getHits(0).getPartsList().isEmpty());
      level.set(2);
      assertEquals(List.of("rerank", "vector"), search(service, request).getDegradedList());
      level.set(0);
      assertEquals(
          full, search(service, request), "full answers are kept apart from degraded ones");
    } finally {
      engines.close();
    }
  }

  private static SearchResponse search(MagpieService service, SearchRequest request) {
    List<SearchResponse> out = new ArrayList<>();
    service.search(
        request,
        new StreamObserver<>() {
          @Override
          public void onNext(SearchResponse value) {
            out.add(value);
          }

          @Override
          public void onError(Throwable t) {
            throw new AssertionError(t);
          }

          @Override
          public void onCompleted() {}
        });
    return out.getFirst();
  }
}
