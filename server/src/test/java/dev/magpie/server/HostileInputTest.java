package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import dev.magpie.api.v1.AdminGrpc;
import dev.magpie.api.v1.CartLine;
import dev.magpie.api.v1.CompleteBasketRequest;
import dev.magpie.api.v1.Event;
import dev.magpie.api.v1.Filters;
import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.ItemUpdate;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.NewItem;
import dev.magpie.api.v1.RecommendRequest;
import dev.magpie.api.v1.RecordEventsRequest;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.SimilarItemsRequest;
import dev.magpie.api.v1.StatsRequest;
import dev.magpie.api.v1.UpdateItemsRequest;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.testing.TestSnapshots;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input on the real server over loopback: oversized messages and fields, huge k, wide
 * filters, non-finite vectors, invalid UTF-8 and unknown enumeration words. Each is refused with a
 * status naming the field and the value or limit; after each test the server still answers health
 * checks and searches, and nothing refused reached the write-ahead log.
 */
class HostileInputTest {
  private static final String CASES = "Electronics > Phones > Cases";

  @TempDir static Path dir;
  private static Loopback loopback;
  private static MagpieGrpc.MagpieBlockingStub magpie;

  @BeforeAll
  static void start() throws IOException {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      float angle = i * 0.7f;
      items.add(
          new Item(
              "case" + i,
              "Rugged phone case " + i,
              "",
              "Cirrus",
              CASES,
              2_000L + i,
              "USD",
              10,
              Float.NaN,
              Map.of(),
              new float[] {(float) Math.cos(angle), (float) Math.sin(angle), 0f}));
    }
    loopback =
        Loopback.start(
            TestSnapshots.build(dir.resolve("store"), items),
            ServerConfig.builder().wal(dir.resolve("wal")).build());
    magpie = MagpieGrpc.newBlockingStub(loopback.channel());
  }

  @AfterAll
  static void stop() {
    loopback.close();
  }

  /** The server is healthy and logged nothing of what it refused. */
  @AfterEach
  void stillServing() {
    assertEquals(
        HealthCheckResponse.ServingStatus.SERVING,
        HealthGrpc.newBlockingStub(loopback.channel())
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance())
            .getStatus());
    assertEquals(
        5,
        stub()
            .search(SearchRequest.newBuilder().setQuery("phone case").setK(5).build())
            .getHitsCount());
    assertEquals(
        0,
        AdminGrpc.newBlockingStub(loopback.channel())
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .stats(StatsRequest.getDefaultInstance())
            .getWalSequence(),
        "nothing refused was logged");
  }

  private static MagpieGrpc.MagpieBlockingStub stub() {
    return magpie.withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** Asserts the call is refused with {@code code} and a description containing {@code words}. */
  private static void refused(Status.Code code, String words, Supplier<?> call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::get, words);
    assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
    String description = String.valueOf(e.getStatus().getDescription());
    assertTrue(description.contains(words), "'" + description + "' should contain '" + words + "'");
    assertTrue(
        description.length() < 1_000,
        "the error is short, not an echo of the input: " + description.length());
  }

  private static UpdateItemsRequest update(ItemUpdate.Builder... updates) {
    UpdateItemsRequest.Builder request = UpdateItemsRequest.newBuilder();
    for (ItemUpdate.Builder u : updates) {
      request.addUpdates(u);
    }
    return request.build();
  }

  private static ItemUpdate.Builder newItem(String id, float... vector) {
    NewItem.Builder details = NewItem.newBuilder().setTitle("New case").setCategory(CASES);
    for (float v : vector) {
      details.addVector(v);
    }
    return ItemUpdate.newBuilder().setItemId(id).setPriceMinor(1_500).setNewItem(details);
  }

  private static RecordEventsRequest event(String user, String item, String type) {
    return RecordEventsRequest.newBuilder()
        .addEvents(Event.newBuilder().setUser(user).setItemId(item).setType(type))
        .build();
  }

  @Test
  void oversizedMessagesAreRefusedBeforeTheyAreRead() {
    refused(
        Status.Code.RESOURCE_EXHAUSTED,
        "exceeds maximum size",
        () ->
            stub()
                .search(SearchRequest.newBuilder().setQuery("x".repeat(5 << 20)).setK(5).build()));
    refused(
        Status.Code.RESOURCE_EXHAUSTED,
        "exceeds maximum size",
        () ->
            stub()
                .updateItems(
                    update(ItemUpdate.newBuilder().setItemId("x".repeat(5 << 20)).setStock(1))));
  }

  @Test
  void oversizedFieldsNameTheFieldAndLimit() {
    String huge = "x".repeat(100_000);
    refused(
        Status.Code.INVALID_ARGUMENT,
        "query: at most 1000",
        () -> stub().search(SearchRequest.newBuilder().setQuery(huge).setK(5).build()));
    GetItemsRequest.Builder ids = GetItemsRequest.newBuilder();
    for (int i = 0; i < 1_001; i++) {
      ids.addIds("case" + (i % 8));
    }
    refused(
        Status.Code.INVALID_ARGUMENT, "ids: give 1 to 1000", () -> stub().getItems(ids.build()));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "ids[0]: at most 256 bytes",
        () -> stub().getItems(GetItemsRequest.newBuilder().addIds(huge).build()));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "user: at most 256 bytes",
        () -> stub().recommend(RecommendRequest.newBuilder().setUser(huge).setK(5).build()));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "events[0].user: at most 256 bytes",
        () -> stub().recordEvents(event(huge, "case1", "view")));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "events[0].item_id: at most 256 bytes",
        () -> stub().recordEvents(event("u", huge, "view")));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "updates[0].item_id: at most 256 bytes",
        () -> stub().updateItems(update(ItemUpdate.newBuilder().setItemId(huge).setStock(1))));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "updates[0].new_item.title",
        () ->
            stub()
                .updateItems(
                    update(
                        newItem("big", 1f, 0f, 0f)
                            .setNewItem(
                                NewItem.newBuilder()
                                    .setTitle(huge)
                                    .setCategory(CASES)
                                    .addVector(1f)
                                    .addVector(0f)
                                    .addVector(0f)))));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "updates: give 1 to 1000, got 0",
        () -> stub().updateItems(UpdateItemsRequest.getDefaultInstance()));
    UpdateItemsRequest.Builder many = UpdateItemsRequest.newBuilder();
    for (int i = 0; i < 200_000; i++) {
      many.addUpdates(ItemUpdate.newBuilder().setItemId("case1").setStock(i));
    }
    refused(
        Status.Code.INVALID_ARGUMENT,
        "updates: give 1 to 1000, got 200000",
        () -> stub().updateItems(many.build()));
  }

  @Test
  void hugeKAndOutOfRangeNumbersAreRefused() {
    refused(
        Status.Code.INVALID_ARGUMENT,
        "k: must be from 1 to 1000, got 2147483647",
        () ->
            stub()
                .search(
                    SearchRequest.newBuilder().setQuery("case").setK(Integer.MAX_VALUE).build()));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "k: must be from 1 to 1000, got -5",
        () -> stub().search(SearchRequest.newBuilder().setQuery("case").setK(-5).build()));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "k: must be from 1 to 200, got 2147483647",
        () -> stub().recommend(RecommendRequest.newBuilder().setK(Integer.MAX_VALUE).build()));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "k: must be from 1 to 200",
        () ->
            stub()
                .similarItems(
                    SimilarItemsRequest.newBuilder()
                        .setId("case1")
                        .setK(Integer.MAX_VALUE)
                        .build()));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "exploration_share: must be from 0 to 0.5, got NaN",
        () ->
            stub()
                .recommend(
                    RecommendRequest.newBuilder().setK(5).setExplorationShare(Float.NaN).build()));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "filters.max_price_minor: must be 0 or more",
        () ->
            stub()
                .search(
                    SearchRequest.newBuilder()
                        .setQuery("case")
                        .setK(5)
                        .setFilters(Filters.newBuilder().setMaxPriceMinor(Long.MIN_VALUE))
                        .build()));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "updates[0].price_minor: must be 0 or more",
        () ->
            stub()
                .updateItems(
                    update(
                        ItemUpdate.newBuilder().setItemId("case1").setPriceMinor(Long.MIN_VALUE))));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "events[0].time_epoch_seconds: must be 0 or more",
        () ->
            stub()
                .recordEvents(
                    RecordEventsRequest.newBuilder()
                        .addEvents(
                            Event.newBuilder()
                                .setUser("u")
                                .setItemId("case1")
                                .setType("view")
                                .setTimeEpochSeconds(Long.MIN_VALUE))
                        .build()));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "threshold_minor",
        () ->
            stub()
                .completeBasket(
                    CompleteBasketRequest.newBuilder()
                        .addCart(CartLine.newBuilder().setItemId("case1").setQuantity(1))
                        .setThresholdMinor(Long.MIN_VALUE)
                        .build()));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "cart[0].quantity",
        () ->
            stub()
                .completeBasket(
                    CompleteBasketRequest.newBuilder()
                        .addCart(
                            CartLine.newBuilder().setItemId("case1").setQuantity(Integer.MAX_VALUE))
                        .setThresholdMinor(5_000)
                        .build()));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "max_items",
        () ->
            stub()
                .completeBasket(
                    CompleteBasketRequest.newBuilder()
                        .addCart(CartLine.newBuilder().setItemId("case1").setQuantity(1))
                        .setThresholdMinor(5_000)
                        .setMaxItems(Integer.MAX_VALUE)
                        .build()));
  }

  @Test
  void wideFiltersAreRefusedNamingTheList() {
    Filters.Builder categories = Filters.newBuilder();
    Filters.Builder brands = Filters.newBuilder();
    Filters.Builder attributes = Filters.newBuilder();
    for (int i = 0; i < 10_000; i++) {
      categories.addCategories("Category " + i + " > Sub");
      brands.addBrands("Brand " + i);
      attributes.putAttributes("name" + i, "value" + i);
    }
    refused(
        Status.Code.INVALID_ARGUMENT,
        "filters.categories: at most 100, got 10000",
        () ->
            stub()
                .search(
                    SearchRequest.newBuilder()
                        .setQuery("case")
                        .setK(5)
                        .setFilters(categories)
                        .build()));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "filters.brands: at most 100, got 10000",
        () -> stub().recommend(RecommendRequest.newBuilder().setK(5).setFilters(brands).build()));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "filters.attributes: at most 128, got 10000",
        () ->
            stub()
                .similarItems(
                    SimilarItemsRequest.newBuilder()
                        .setId("case1")
                        .setK(5)
                        .setFilters(attributes)
                        .build()));
    Filters deep = Filters.newBuilder().addCategories(" > ".repeat(5_000) + "x").build();
    refused(
        Status.Code.INVALID_ARGUMENT,
        "filters.categories[0]",
        () ->
            stub()
                .search(
                    SearchRequest.newBuilder().setQuery("case").setK(5).setFilters(deep).build()));
    RecommendRequest.Builder context = RecommendRequest.newBuilder().setK(5);
    for (int i = 0; i < 1_001; i++) {
      context.addContext("case1");
    }
    refused(
        Status.Code.INVALID_ARGUMENT,
        "context: at most 100, got 1001",
        () -> stub().recommend(context.build()));
  }

  @Test
  void nonFiniteVectorsAreRefusedNamingTheComponent() {
    refused(
        Status.Code.INVALID_ARGUMENT,
        "updates[0].new_item.vector: vector element 1 is not finite (got 'NaN')",
        () -> stub().updateItems(update(newItem("nan", 1f, Float.NaN, 0f))));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "updates[0].new_item.vector: vector element 0 is not finite (got 'Infinity')",
        () -> stub().updateItems(update(newItem("inf", Float.POSITIVE_INFINITY, 0f, 0f))));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "updates[0].new_item.vector: vector element 2 is not finite (got '-Infinity')",
        () -> stub().updateItems(update(newItem("ninf", 1f, 0f, Float.NEGATIVE_INFINITY))));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "updates[0].vector: a zero vector has no direction",
        () -> stub().updateItems(update(newItem("zero", 0f, 0f, 0f))));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "updates[0].new_item.rating",
        () ->
            stub()
                .updateItems(
                    update(
                        newItem("r", 1f, 0f, 0f)
                            .setNewItem(
                                NewItem.newBuilder()
                                    .setTitle("t")
                                    .setCategory(CASES)
                                    .setRating(Float.NaN)
                                    .addVector(1f)
                                    .addVector(0f)
                                    .addVector(0f)))));
  }

  @Test
  void unknownEnumerationWordsNameTheAcceptedOnes() {
    refused(
        Status.Code.INVALID_ARGUMENT,
        "events[0].type: ",
        () -> stub().recordEvents(event("u", "case1", "teleport")));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "events[0].type: ",
        () -> stub().recordEvents(event("u", "case1", "é".repeat(1_000))));
    // An occasion the knowledge file does not know is answered, with a note naming it and the known
    // ones.
    assertTrue(
        stub()
            .recommend(
                RecommendRequest.newBuilder().setK(5).setOccasion("solstice-of-doom").build())
            .getNotesList()
            .stream()
            .anyMatch(n -> n.contains("no occasion 'solstice-of-doom'")));
    refused(
        Status.Code.INVALID_ARGUMENT,
        "occasion: at most 256 bytes, got 3000",
        () ->
            stub()
                .recommend(
                    RecommendRequest.newBuilder().setK(5).setOccasion("x".repeat(3_000)).build()));
  }

  @Test
  void invalidUtf8InAStringFieldIsRefused() throws IOException {
    // SearchRequest { query (1) = bytes that are not UTF-8, k (2) = 5 }, written by hand: the
    // generated
    // builders cannot make such a message.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeByteArray(1, new byte[] {'c', 'a', (byte) 0xC3, (byte) 0x28, 's', 'e', (byte) 0xFF});
    out.writeInt32(2, 5);
    out.flush();
    MethodDescriptor<byte[], byte[]> rawSearch = RawBytes.of(MagpieGrpc.getSearchMethod());
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                ClientCalls.blockingUnaryCall(
                    loopback.channel(),
                    rawSearch,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                    bytes.toByteArray()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
    assertTrue(
        String.valueOf(e.getStatus().getDescription()).contains("UTF-8"), e.getStatus().toString());
    assertFalse(String.valueOf(e.getStatus().getDescription()).isEmpty());
  }
}
