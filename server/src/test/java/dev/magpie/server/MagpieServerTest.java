package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.api.v1.AttributeRow;
import dev.magpie.api.v1.CartLine;
import dev.magpie.api.v1.CompareItemsRequest;
import dev.magpie.api.v1.CompareItemsResponse;
import dev.magpie.api.v1.CompleteBasketRequest;
import dev.magpie.api.v1.CompleteBasketResponse;
import dev.magpie.api.v1.Filters;
import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.GetItemsResponse;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.RecommendRequest;
import dev.magpie.api.v1.RecommendResponse;
import dev.magpie.api.v1.Recommendation;
import dev.magpie.api.v1.SearchHit;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.SearchResponse;
import dev.magpie.api.v1.SimilarItemsRequest;
import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.search.HybridSearcher;
import dev.magpie.engine.testing.TestSnapshots;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server on loopback, called through the generated stubs. */
class MagpieServerTest {
  private static final String PHONES = "Electronics > Phones > Smartphones";
  private static final String CASES = "Electronics > Phones > Phone Cases";

  @TempDir static Path dir;
  private static Loopback loopback;
  private static ManagedChannel channel;
  private static MagpieGrpc.MagpieBlockingStub magpie;

  @BeforeAll
  static void start() throws Exception {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      items.add(
          TestSnapshots.item(
              "phone" + i,
              "Pixel smartphone " + i,
              i % 2 == 0 ? "Acme" : "Borealis",
              PHONES,
              50_000L + i * 1_000,
              5,
              Map.of("color", i % 2 == 0 ? "black" : "white")));
      items.add(
          TestSnapshots.item(
              "case" + i,
              "Rugged phone case " + i,
              "Cirrus",
              CASES,
              2_000L + i * 100,
              i,
              Map.of()));
    }
    items.set(3, items.get(3).withSponsored(true));
    Interactions.Builder log = new Interactions.Builder(items.size());
    for (int u = 0; u < 30; u++) {
      int phone = 2 * (u % 6);
      log.add("shopper" + u, phone, EventType.BUY, 1_700_000_000L + u * 100, 4f);
      log.add("shopper" + u, phone + 1, EventType.BUY, 1_700_000_050L + u * 100, 4f);
    }
    Knowledge knowledge =
        new Knowledge(
            List.of(PHONES, CASES),
            List.of(new Knowledge.Relation(PHONES, CASES, "complement", 0.9)),
            List.of(),
            List.of(),
            List.of());
    loopback =
        Loopback.start(
            TestSnapshots.build(dir.resolve("s"), items, knowledge, log.build()),
            ServerConfig.builder().build());
    channel = loopback.channel();
    magpie = MagpieGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    loopback.close();
  }

  private static Status.Code code(Runnable call) {
    return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
  }

  private static String message(Runnable call) {
    return assertThrows(StatusRuntimeException.class, call::run).getStatus().getDescription();
  }

  @Test
  void searchFindsFiltersAndExplains() {
    SearchResponse r =
        magpie.search(SearchRequest.newBuilder().setQuery("phone case").setK(3).build());
    assertEquals(3, r.getHitsCount(), r.toString());
    for (SearchHit hit : r.getHitsList()) {
      assertTrue(hit.getItem().getTitle().contains("case"), hit.toString());
      assertEquals(CASES, hit.getItem().getCategory());
      assertTrue(hit.getItem().hasPriceMinor());
      assertEquals("USD", hit.getItem().getCurrency());
      assertFalse(hit.getPartsList().isEmpty(), "every score is explained: " + hit);
      assertTrue(hit.getExplanation().startsWith("bm25 #"), hit.getExplanation());
      assertTrue(
          hit.getExplanation().contains(":case "),
          "the matched terms, explained after reranking: " + hit.getExplanation());
    }
    assertEquals("search-default", r.getModel());
    SearchResponse black =
        magpie.search(
            SearchRequest.newBuilder()
                .setQuery("smartphone")
                .setK(10)
                .setFilters(
                    Filters.newBuilder().putAttributes("color", "black").setMaxPriceMinor(52_000))
                .build());
    assertEquals(
        List.of("phone0", "phone2"),
        black.getHitsList().stream().map(h -> h.getItem().getId()).sorted().toList());
  }

  @Test
  void badSearchesAreInvalidArgumentsNamingTheField() {
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        code(() -> magpie.search(SearchRequest.newBuilder().setQuery("x").build())));
    assertEquals(
        "k: must be from 1 to 1000, got 0",
        message(() -> magpie.search(SearchRequest.newBuilder().setQuery("phone").build())));
    assertEquals(
        "filters.min_price_minor: 500 is above filters.max_price_minor 100",
        message(
            () ->
                magpie.search(
                    SearchRequest.newBuilder()
                        .setQuery("phone")
                        .setK(5)
                        .setFilters(
                            Filters.newBuilder().setMinPriceMinor(500).setMaxPriceMinor(100))
                        .build())));
    assertEquals(
        Status.Code.INVALID_ARGUMENT,
        code(
            () ->
                magpie.search(
                    SearchRequest.newBuilder().setQuery("x".repeat(1001)).setK(5).build())));
  }

  @Test
  void aQueryWithNothingToSearchIsAnsweredWithNoHitsAndANote() {
    SearchResponse r =
        magpie.search(SearchRequest.newBuilder().setQuery("the of and").setK(5).build());
    assertEquals(0, r.getHitsCount(), r.toString());
    assertEquals(List.of(HybridSearcher.NOTHING_TO_SEARCH), r.getNotesList());
  }

  @Test
  void getItemsKeepsTheOrderAskedAndListsWhatIsMissing() {
    GetItemsResponse r =
        magpie.getItems(
            GetItemsRequest.newBuilder().addIds("case2").addIds("nope").addIds("phone1").build());
    assertEquals(
        List.of("case2", "phone1"),
        r.getItemsList().stream().map(dev.magpie.api.v1.Item::getId).toList());
    assertEquals(List.of("nope"), r.getMissingList());
    assertEquals(Map.of("color", "white"), r.getItems(1).getAttributesMap());
    assertTrue(
        magpie
            .getItems(GetItemsRequest.newBuilder().addIds("case1").build())
            .getItems(0)
            .getSponsored(),
        "sponsored is disclosed");
    assertEquals(
        "ids: give 1 to 1000 ids, got 0",
        message(() -> magpie.getItems(GetItemsRequest.getDefaultInstance())));
  }

  @Test
  void recommendAndSimilarItemsExplainEveryItem() {
    RecommendResponse r =
        magpie.recommend(RecommendRequest.newBuilder().addContext("phone2").setK(3).build());
    assertEquals(3, r.getItemsCount(), r.toString());
    Recommendation first = r.getItems(0);
    assertEquals(CASES, first.getItem().getCategory(), r.toString());
    assertFalse(first.getReasonsList().isEmpty(), first.toString());
    assertFalse(first.getChannelsList().isEmpty(), first.toString());
    assertEquals(
        "context[0]: no item 'gone' in the catalog",
        message(
            () ->
                magpie.recommend(
                    RecommendRequest.newBuilder().addContext("gone").setK(3).build())));
    assertEquals(
        "k: must be from 1 to 200, got 500",
        message(
            () ->
                magpie.recommend(
                    RecommendRequest.newBuilder().setUser("shopper1").setK(500).build())));
    assertEquals(
        "exploration_share: must be from 0 to 0.5, got 0.9",
        message(
            () ->
                magpie.recommend(
                    RecommendRequest.newBuilder()
                        .setUser("shopper1")
                        .setK(5)
                        .setExplorationShare(0.9f)
                        .build())));
    RecommendResponse similar =
        magpie.similarItems(SimilarItemsRequest.newBuilder().setId("phone1").setK(3).build());
    assertFalse(similar.getItemsList().isEmpty());
    assertTrue(
        similar.getItemsList().stream().noneMatch(i -> i.getItem().getId().equals("phone1")));
    assertEquals(
        "id: required",
        message(() -> magpie.similarItems(SimilarItemsRequest.newBuilder().setK(3).build())));
  }

  @Test
  void compareItemsAlignsFactsAndSaysWhoEachSuits() {
    CompareItemsResponse r =
        magpie.compareItems(
            CompareItemsRequest.newBuilder().addIds("case0").addIds("case5").build());
    assertEquals(
        List.of("case0", "case5"),
        r.getItemsList().stream().map(i -> i.getItem().getId()).toList());
    AttributeRow price = r.getRows(0);
    assertEquals("price", price.getName());
    assertEquals(List.of("20.00 USD", "25.00 USD"), price.getValuesList());
    assertTrue(price.getDiffers());
    AttributeRow stock =
        r.getRowsList().stream()
            .filter(row -> row.getName().equals("stock"))
            .findFirst()
            .orElseThrow();
    assertEquals(List.of("out of stock", "5"), stock.getValuesList());
    assertTrue(
        r.getDifferencesList()
            .contains("'Rugged phone case 0' is 5.00 USD (20%) cheaper than 'Rugged phone case 5'"),
        r.getDifferencesList().toString());
    assertTrue(
        r.getDifferencesList().contains("'Rugged phone case 0' is out of stock"),
        r.getDifferencesList().toString());
    assertTrue(
        r.getItems(0).getSuitsList().get(0).startsWith("the budget-minded: the lowest price here"),
        r.getItems(0).getSuitsList().toString());

    CompareItemsResponse phones =
        magpie.compareItems(
            CompareItemsRequest.newBuilder().addIds("phone0").addIds("phone1").build());
    assertTrue(
        phones
            .getDifferencesList()
            .contains("color: black ('Pixel smartphone 0') vs white ('Pixel smartphone 1')"),
        phones.getDifferencesList().toString());
    assertTrue(phones.getItems(1).getSuitsList().contains("those who want color white"));
    assertEquals(
        "ids: give 2 to 10 items to compare, got 1",
        message(
            () -> magpie.compareItems(CompareItemsRequest.newBuilder().addIds("phone0").build())));
    assertEquals(
        "ids[1]: no item 'nope' in the catalog",
        message(
            () ->
                magpie.compareItems(
                    CompareItemsRequest.newBuilder().addIds("phone0").addIds("nope").build())));
  }

  @Test
  void completeBasketReachesTheThresholdWithTheLeastOvershoot() {
    CompleteBasketResponse r =
        magpie.completeBasket(
            CompleteBasketRequest.newBuilder()
                .addCart(CartLine.newBuilder().setItemId("phone0"))
                .setThresholdMinor(52_500)
                .build());
    assertTrue(r.getReached(), r.toString());
    assertEquals(50_000, r.getCartTotalMinor());
    assertEquals(
        0, r.getOvershootMinor(), "case5 at 25.00 USD closes the 25.00 USD gap exactly: " + r);
    assertEquals(
        List.of("case5"), r.getAddedList().stream().map(a -> a.getItem().getId()).toList());
    assertFalse(r.getAdded(0).getReasonsList().isEmpty(), "every added item says why");
    assertEquals(52_500, r.getTotalMinor());

    CompleteBasketResponse two =
        magpie.completeBasket(
            CompleteBasketRequest.newBuilder()
                .addCart(CartLine.newBuilder().setItemId("phone0"))
                .setThresholdMinor(54_300)
                .setCapMinor(54_400)
                .build());
    assertTrue(two.getReached(), two.toString());
    assertTrue(two.getTotalMinor() >= 54_300 && two.getTotalMinor() <= 54_400, two.toString());
    assertEquals(2, two.getAddedCount(), "no single complement covers 43.00 USD: " + two);
    assertFalse(
        two.getAddedList().stream().anyMatch(a -> a.getItem().getId().equals("case0")),
        "out of stock items are not offered");

    CompleteBasketResponse already =
        magpie.completeBasket(
            CompleteBasketRequest.newBuilder()
                .addCart(CartLine.newBuilder().setItemId("phone0").setQuantity(2))
                .setThresholdMinor(60_000)
                .build());
    assertTrue(already.getReached());
    assertEquals(0, already.getAddedCount());
    assertEquals(
        "threshold_minor: must be above 0, got 0",
        message(
            () ->
                magpie.completeBasket(
                    CompleteBasketRequest.newBuilder()
                        .addCart(CartLine.newBuilder().setItemId("phone0"))
                        .build())));
    assertEquals(
        "cart[0].item_id: no item 'nope' in the catalog",
        message(
            () ->
                magpie.completeBasket(
                    CompleteBasketRequest.newBuilder()
                        .addCart(CartLine.newBuilder().setItemId("nope"))
                        .setThresholdMinor(1)
                        .build())));
  }

  @Test
  void healthAndReflectionAnswer() throws Exception {
    HealthCheckResponse health =
        HealthGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(HealthCheckRequest.newBuilder().setService(MagpieGrpc.SERVICE_NAME).build());
    assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse value) {
                    answer.complete(value);
                  }

                  @Override
                  public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    List<String> services =
        answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
            .map(s -> s.getName())
            .toList();
    assertTrue(services.contains("magpie.v1.Magpie"), services.toString());
    assertTrue(services.contains("grpc.health.v1.Health"), services.toString());
  }
}
