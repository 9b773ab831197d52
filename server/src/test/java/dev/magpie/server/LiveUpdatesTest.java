package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.api.v1.AdminGrpc;
import dev.magpie.api.v1.Event;
import dev.magpie.api.v1.Filters;
import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.Item;
import dev.magpie.api.v1.ItemUpdate;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.RecommendRequest;
import dev.magpie.api.v1.RecordEventsRequest;
import dev.magpie.api.v1.ReloadRequest;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.StatsRequest;
import dev.magpie.api.v1.StatsResponse;
import dev.magpie.api.v1.UpdateItemsRequest;
import dev.magpie.api.v1.UpdateItemsResponse;
import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.testing.FaultyFileOps;
import dev.magpie.engine.testing.TestSnapshots;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live updates end to end: logged, applied, seen by the next query, replayed at start and at
 * reload.
 */
class LiveUpdatesTest {
  private static final String CASES = "Electronics > Phones > Phone Cases";

  @TempDir Path dir;

  static List<dev.magpie.engine.catalog.Item> catalog() {
    List<dev.magpie.engine.catalog.Item> items = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      items.add(
          TestSnapshots.item(
              "case" + i,
              "Rugged phone case " + i,
              "Cirrus",
              CASES,
              2_000L + i * 100,
              10,
              Map.of()));
    }
    return items;
  }

  static Snapshot snapshot(Path store) throws IOException {
    List<dev.magpie.engine.catalog.Item> items = catalog();
    Interactions.Builder log = new Interactions.Builder(items.size());
    for (int u = 0; u < 10; u++) {
      log.add("shopper" + u, u % 8, EventType.BUY, 1_700_000_000L + u, 4f);
      log.add("shopper" + u, (u + 1) % 8, EventType.BUY, 1_700_000_010L + u, 4f);
    }
    return TestSnapshots.build(
        store, items, dev.magpie.engine.knowledge.Knowledge.EMPTY, log.build());
  }

  private static Loopback start(Path store, Path wal) throws IOException {
    return Loopback.start(
        Snapshot.open(SnapshotStore.resolveVersionDir(store)),
        ServerConfig.builder().wal(wal).cacheTtl(Duration.ofMinutes(5)).build());
  }

  private static MagpieGrpc.MagpieBlockingStub magpie(Loopback loopback) {
    return MagpieGrpc.newBlockingStub(loopback.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static Item get(MagpieGrpc.MagpieBlockingStub magpie, String id) {
    return magpie.getItems(GetItemsRequest.newBuilder().addIds(id).build()).getItems(0);
  }

  private static List<String> search(MagpieGrpc.MagpieBlockingStub magpie, long maxPrice) {
    return magpie
        .search(
            SearchRequest.newBuilder()
                .setQuery("phone case")
                .setK(20)
                .setFilters(Filters.newBuilder().setMaxPriceMinor(maxPrice))
                .build())
        .getHitsList()
        .stream()
        .map(h -> h.getItem().getId())
        .sorted()
        .toList();
  }

  private static List<String> recommended(MagpieGrpc.MagpieBlockingStub magpie, String user) {
    return magpie
        .recommend(RecommendRequest.newBuilder().setUser(user).setK(20).build())
        .getItemsList()
        .stream()
        .map(r -> r.getItem().getId())
        .toList();
  }

  private static UpdateItemsRequest update(ItemUpdate.Builder... updates) {
    UpdateItemsRequest.Builder b = UpdateItemsRequest.newBuilder();
    for (ItemUpdate.Builder u : updates) {
      b.addUpdates(u);
    }
    return b.build();
  }

  /**
   * Each disk fault under the log (a failing fsync, a failing write, a full disk) refuses the
   * update it hits with UNAVAILABLE naming the log, applies nothing of it, refuses later writes,
   * and leaves searches and lookups answering; a restart on a healthy disk has every acknowledged
   * update.
   */
  @Test
  void aDiskFaultRefusesTheUpdateItHitsAndReadsGoOn() throws Exception {
    for (FaultyFileOps.Fault fault :
        List.of(
            FaultyFileOps.Fault.FSYNC, FaultyFileOps.Fault.WRITE, FaultyFileOps.Fault.DISK_FULL)) {
      Path store = dir.resolve(fault + "-store");
      Path wal = dir.resolve(fault + "-wal");
      snapshot(store).close();
      FaultyFileOps files = new FaultyFileOps();
      try (Loopback loopback =
          Loopback.start(
              Snapshot.open(SnapshotStore.resolveVersionDir(store)),
              ServerConfig.builder().wal(wal).walFiles(files).build())) {
        MagpieGrpc.MagpieBlockingStub magpie = magpie(loopback);
        magpie.updateItems(update(ItemUpdate.newBuilder().setItemId("case0").setPriceMinor(1_234)));
        files.arm(fault);
        StatusRuntimeException refused =
            assertThrows(
                StatusRuntimeException.class,
                () ->
                    magpie.updateItems(
                        update(ItemUpdate.newBuilder().setItemId("case1").setPriceMinor(999))));
        assertEquals(
            Status.Code.UNAVAILABLE, refused.getStatus().getCode(), fault + ": " + refused);
        assertTrue(
            refused.getStatus().getDescription().startsWith("write-ahead log: injected: "),
            refused.getStatus().getDescription());
        assertTrue(files.faultsCaused() > 0, fault.toString());
        files.disarm();
        assertEquals(
            2_100,
            get(magpie, "case1").getPriceMinor(),
            fault + ": the refused update is not applied");
        assertEquals(
            1_234, get(magpie, "case0").getPriceMinor(), fault + ": the acknowledged one is");
        assertEquals(
            List.of("case0", "case1"), search(magpie, 2_100), fault + ": searches still answer");
        StatusRuntimeException later =
            assertThrows(
                StatusRuntimeException.class,
                () ->
                    magpie.recordEvents(
                        RecordEventsRequest.newBuilder()
                            .addEvents(
                                Event.newBuilder().setUser("u").setItemId("case2").setType("view"))
                            .build()));
        assertEquals(Status.Code.UNAVAILABLE, later.getStatus().getCode(), fault + ": " + later);
        assertTrue(
            later.getStatus().getDescription().contains("refused until the server restarts"),
            later.getStatus().getDescription());
      }
      try (Loopback loopback = start(store, wal)) {
        MagpieGrpc.MagpieBlockingStub magpie = magpie(loopback);
        assertEquals(
            1_234, get(magpie, "case0").getPriceMinor(), fault + ": acknowledged, so replayed");
        magpie.updateItems(update(ItemUpdate.newBuilder().setItemId("case2").setPriceMinor(777)));
        assertEquals(
            777, get(magpie, "case2").getPriceMinor(), fault + ": writes go on after the restart");
      }
    }
  }

  @Test
  void anUpdateIsSeenByTheNextQueryAndSurvivesRestartAndReload() throws Exception {
    Path store = dir.resolve("store");
    Path wal = dir.resolve("wal");
    snapshot(store).close();
    try (Loopback loopback = start(store, wal)) {
      MagpieGrpc.MagpieBlockingStub magpie = magpie(loopback);
      assertEquals(List.of("case0", "case1"), search(magpie, 2_100));
      UpdateItemsResponse done =
          magpie.updateItems(
              update(
                  ItemUpdate.newBuilder().setItemId("case7").setPriceMinor(1_500),
                  ItemUpdate.newBuilder().setItemId("case0").setAvailable(false),
                  ItemUpdate.newBuilder().setItemId("case1").setStock(0)));
      assertEquals(3, done.getSequence());
      assertEquals(3, done.getApplied());
      assertEquals(
          List.of("case1", "case7"),
          search(magpie, 2_100),
          "the kept answer from before the update is not served after it");
      Item withdrawn = get(magpie, "case0");
      assertTrue(withdrawn.getWithdrawn());
      assertEquals(0, get(magpie, "case1").getStock());
      assertFalse(recommended(magpie, "").contains("case0"), "withdrawn items are not recommended");

      List<String> before = recommended(magpie, "newcomer");
      assertTrue(before.contains("case3"), before.toString());
      magpie.recordEvents(
          RecordEventsRequest.newBuilder()
              .addEvents(
                  Event.newBuilder().setUser("newcomer").setItemId("case3").setType("add_to_cart"))
              .build());
      assertFalse(
          recommended(magpie, "newcomer").contains("case3"),
          "the shopper's profile took the event at once (what they carted is not recommended back)");

      StatsResponse stats =
          AdminGrpc.newBlockingStub(loopback.channel()).stats(StatsRequest.getDefaultInstance());
      assertTrue(stats.getLiveUpdates());
      assertEquals(4, stats.getWalSequence());
      assertEquals(4, stats.getWalRecords());
      assertEquals(0, stats.getWalReplayed());
    }

    try (Loopback loopback = start(store, wal)) {
      MagpieGrpc.MagpieBlockingStub magpie = magpie(loopback);
      assertEquals(1_500, get(magpie, "case7").getPriceMinor(), "replayed at start");
      assertTrue(get(magpie, "case0").getWithdrawn());
      assertFalse(recommended(magpie, "newcomer").contains("case3"));
      AdminGrpc.AdminBlockingStub admin = AdminGrpc.newBlockingStub(loopback.channel());
      assertEquals(4, admin.stats(StatsRequest.getDefaultInstance()).getWalReplayed());

      snapshot(store).close(); // a new version, built from the catalog alone
      assertEquals(
          2,
          admin
              .reload(ReloadRequest.newBuilder().setSnapshot(store.toString()).build())
              .getVersion());
      assertEquals(
          1_500,
          get(magpie, "case7").getPriceMinor(),
          "the log's tail is replayed into the new snapshot");
      assertTrue(get(magpie, "case0").getWithdrawn());
      magpie.updateItems(update(ItemUpdate.newBuilder().setItemId("case0").setAvailable(true)));
      assertFalse(get(magpie, "case0").getWithdrawn());
      assertTrue(search(magpie, 2_100).contains("case0"));
    }
  }

  @Test
  void aBadUpdateRefusesTheWholeCallNamingIt() throws Exception {
    Path store = dir.resolve("store");
    snapshot(store).close();
    try (Loopback loopback = start(store, dir.resolve("wal"))) {
      MagpieGrpc.MagpieBlockingStub magpie = magpie(loopback);
      assertRefused(
          Status.Code.INVALID_ARGUMENT,
          "updates[1].item_id: no item 'nope' in the catalog",
          () ->
              magpie.updateItems(
                  update(
                      ItemUpdate.newBuilder().setItemId("case2").setPriceMinor(1),
                      ItemUpdate.newBuilder().setItemId("nope").setStock(3))));
      assertEquals(
          2_200, get(magpie, "case2").getPriceMinor(), "nothing of a refused call applies");
      assertRefused(
          Status.Code.INVALID_ARGUMENT,
          "updates[0].price_minor: must be 0 or more, got -5",
          () ->
              magpie.updateItems(
                  update(ItemUpdate.newBuilder().setItemId("case2").setPriceMinor(-5))));
      assertRefused(
          Status.Code.INVALID_ARGUMENT,
          "updates[0].currency: 'EUR' is not a currency of this catalog [USD]",
          () ->
              magpie.updateItems(
                  update(
                      ItemUpdate.newBuilder()
                          .setItemId("case2")
                          .setPriceMinor(5)
                          .setCurrency("EUR"))));
      assertRefused(
          Status.Code.INVALID_ARGUMENT,
          "updates[0]: sets nothing (give price_minor, stock or available)",
          () -> magpie.updateItems(update(ItemUpdate.newBuilder().setItemId("case2"))));
      assertRefused(
          Status.Code.INVALID_ARGUMENT,
          "updates: give 1 to 1000, got 0",
          () -> magpie.updateItems(UpdateItemsRequest.getDefaultInstance()));
      assertRefused(
          Status.Code.INVALID_ARGUMENT,
          "events[0].type: unknown event type 'hover'",
          () ->
              magpie.recordEvents(
                  RecordEventsRequest.newBuilder()
                      .addEvents(
                          Event.newBuilder().setUser("u").setItemId("case1").setType("hover"))
                      .build()));
      assertRefused(
          Status.Code.INVALID_ARGUMENT,
          "events[0].user: required",
          () ->
              magpie.recordEvents(
                  RecordEventsRequest.newBuilder()
                      .addEvents(Event.newBuilder().setItemId("case1").setType("view"))
                      .build()));
      assertEquals(
          0,
          AdminGrpc.newBlockingStub(loopback.channel())
              .stats(StatsRequest.getDefaultInstance())
              .getWalSequence(),
          "nothing refused was logged");
    }
  }

  private static ItemUpdate.Builder newItem(
      String id, String title, String brand, String category, long price, float... vector) {
    dev.magpie.api.v1.NewItem.Builder details =
        dev.magpie.api.v1.NewItem.newBuilder()
            .setTitle(title)
            .setBrand(brand)
            .setCategory(category)
            .putAttributes("colour", "teal");
    for (float v : vector) {
      details.addVector(v);
    }
    return ItemUpdate.newBuilder()
        .setItemId(id)
        .setPriceMinor(price)
        .setStock(4)
        .setNewItem(details);
  }

  @Test
  void aNewItemIsFoundByTheNextCallsAndSurvivesRestartAndReload() throws Exception {
    Path store = dir.resolve("store");
    Path wal = dir.resolve("wal");
    snapshot(store).close();
    try (Loopback loopback = start(store, wal)) {
      MagpieGrpc.MagpieBlockingStub magpie = magpie(loopback);
      assertEquals(List.of("case0", "case1"), search(magpie, 2_100));
      magpie.updateItems(
          update(newItem("case-new", "Slim phone case with stand", "Zephyr", CASES, 1_900)));
      assertEquals(
          List.of("case-new", "case0", "case1"),
          search(magpie, 2_100),
          "found by the next search, through the kept answer's cache");
      Item added = get(magpie, "case-new");
      assertEquals("Slim phone case with stand", added.getTitle());
      assertEquals("Zephyr", added.getBrand());
      assertEquals(1_900, added.getPriceMinor());
      assertEquals("USD", added.getCurrency(), "the catalog's one currency");
      assertEquals(
          List.of("case-new"),
          magpie
              .search(
                  SearchRequest.newBuilder()
                      .setQuery("phone case")
                      .setK(20)
                      .setFilters(Filters.newBuilder().addBrands("zephyr"))
                      .build())
              .getHitsList()
              .stream()
              .map(h -> h.getItem().getId())
              .toList(),
          "its new brand filters");
      magpie.recordEvents(
          RecordEventsRequest.newBuilder()
              .addEvents(
                  Event.newBuilder().setUser("newcomer").setItemId("case-new").setType("buy"))
              .build());
      magpie.updateItems(update(ItemUpdate.newBuilder().setItemId("case-new").setStock(0)));
      assertEquals(0, get(magpie, "case-new").getStock());
    }

    try (Loopback loopback = start(store, wal)) {
      MagpieGrpc.MagpieBlockingStub magpie = magpie(loopback);
      assertEquals(
          0, get(magpie, "case-new").getStock(), "added and changed again at start, from the log");
      assertEquals(List.of("case-new", "case0", "case1"), search(magpie, 2_100));
      assertFalse(
          recommended(magpie, "newcomer").contains("case-new"),
          "the shopper's event on it replayed too");

      snapshot(store).close(); // a new version, built from the catalog alone
      AdminGrpc.newBlockingStub(loopback.channel()).reload(ReloadRequest.getDefaultInstance());
      assertEquals(
          List.of("case-new", "case0", "case1"),
          search(magpie, 2_100),
          "replayed into the new version");
    }
  }

  @Test
  void newItemsWithTheirOwnVectorsAreFoundBySimilarity() throws Exception {
    Path store = dir.resolve("store");
    List<dev.magpie.engine.catalog.Item> items = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      float angle = i * 0.7f;
      items.add(
          new dev.magpie.engine.catalog.Item(
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
    TestSnapshots.build(store, items).close();
    try (Loopback loopback = start(store, dir.resolve("wal"))) {
      MagpieGrpc.MagpieBlockingStub magpie = magpie(loopback);
      float near = 0.7f * 3 + 0.05f; // next to case3
      magpie.updateItems(
          update(
              newItem(
                  "twin",
                  "Twin of case three",
                  "Cirrus",
                  CASES,
                  2_500,
                  (float) Math.cos(near),
                  (float) Math.sin(near),
                  0f)));
      List<String> similar =
          magpie
              .similarItems(
                  dev.magpie.api.v1.SimilarItemsRequest.newBuilder().setId("case3").setK(3).build())
              .getItemsList()
              .stream()
              .map(r -> r.getItem().getId())
              .toList();
      assertEquals("twin", similar.getFirst(), similar.toString());
      List<String> ofTwin =
          magpie
              .similarItems(
                  dev.magpie.api.v1.SimilarItemsRequest.newBuilder().setId("twin").setK(3).build())
              .getItemsList()
              .stream()
              .map(r -> r.getItem().getId())
              .toList();
      assertEquals("case3", ofTwin.getFirst(), ofTwin.toString());
      assertRefused(
          Status.Code.INVALID_ARGUMENT,
          "updates[0].vector: 2 dimensions, the catalog's have 3",
          () -> magpie.updateItems(update(newItem("short", "Short vector", "", "", 1, 1f, 0f))));
    }
  }

  @Test
  void aNewItemThatCannotBeAddedRefusesTheCallNamingIt() throws Exception {
    Path store = dir.resolve("store");
    snapshot(store).close();
    try (Loopback loopback = start(store, dir.resolve("wal"))) {
      MagpieGrpc.MagpieBlockingStub magpie = magpie(loopback);
      assertRefused(
          Status.Code.INVALID_ARGUMENT,
          "updates[0].item_id: item 'case2' is already in the catalog",
          () -> magpie.updateItems(update(newItem("case2", "Again", "", "", 1))));
      assertRefused(
          Status.Code.INVALID_ARGUMENT,
          "updates[0].category: 'Garden' is not a category of this catalog",
          () -> magpie.updateItems(update(newItem("g", "Rake", "", "Garden", 1))));
      assertRefused(
          Status.Code.INVALID_ARGUMENT,
          "updates[0].new_item.title: title is missing or blank",
          () -> magpie.updateItems(update(newItem("g", "", "", "", 1))));
      assertRefused(
          Status.Code.INVALID_ARGUMENT,
          "updates[1].item_id: 'g' is added by updates[0] of this request",
          () ->
              magpie.updateItems(
                  update(newItem("g", "Rake", "", "", 1), newItem("g", "Rake", "", "", 1))));
      assertRefused(
          Status.Code.INVALID_ARGUMENT,
          "updates[0].available: a new item is listed",
          () -> magpie.updateItems(update(newItem("g", "Rake", "", "", 1).setAvailable(false))));
      assertRefused(
          Status.Code.INVALID_ARGUMENT,
          "updates[0].vector: this catalog has no vectors",
          () -> magpie.updateItems(update(newItem("g", "Rake", "", "", 1, 1f))));
      assertRefused(
          Status.Code.INVALID_ARGUMENT,
          "updates[0].item_id: no item 'g' in the catalog",
          () -> magpie.updateItems(update(ItemUpdate.newBuilder().setItemId("g").setStock(1))));
      assertEquals(
          0,
          AdminGrpc.newBlockingStub(loopback.channel())
              .stats(StatsRequest.getDefaultInstance())
              .getWalSequence(),
          "nothing refused was logged");
    }
  }

  @Test
  void withoutALogUpdatesAreRefused() throws Exception {
    try (Loopback loopback =
        Loopback.start(snapshot(dir.resolve("store")), ServerConfig.builder().build())) {
      assertRefused(
          Status.Code.FAILED_PRECONDITION,
          "this server takes no live updates",
          () ->
              magpie(loopback)
                  .updateItems(update(ItemUpdate.newBuilder().setItemId("case2").setStock(1))));
    }
  }

  @Test
  void aLogThatEndsBeforeWhatTheSnapshotFoldedIsRefused() throws Exception {
    Path store = dir.resolve("store");
    List<dev.magpie.engine.catalog.Item> items = catalog();
    TestSnapshots.build(
            store,
            items,
            dev.magpie.engine.knowledge.Knowledge.EMPTY,
            Map.of("source", "test", dev.magpie.engine.live.WriteAheadLog.FOLDED, "40"))
        .close();
    IOException e = assertThrows(IOException.class, () -> start(store, dir.resolve("empty-wal")));
    assertTrue(
        e.getMessage().contains("holds log records up to 40 but the write-ahead log"),
        e.getMessage());
  }

  static void assertRefused(Status.Code code, String message, Runnable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
    assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
    assertTrue(e.getStatus().getDescription().startsWith(message), e.getStatus().getDescription());
  }
}
