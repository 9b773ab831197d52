package dev.magpie.cli.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.cli.MagpieMain;
import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.live.LiveUpdate;
import dev.magpie.engine.live.WriteAheadLog;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code magpie load --base}: a served snapshot and its write-ahead log folded into the next
 * version.
 */
class BaseFoldTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = MagpieMain.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private static dev.magpie.engine.catalog.Item newItem(
      String id, String title, String category, long price) {
    return new dev.magpie.engine.catalog.Item(
        id, title, "", "Lumen", category, price, "USD", 3, Float.NaN, java.util.Map.of(), null);
  }

  private static long folded(Snapshot snapshot) {
    return Long.parseLong(snapshot.manifest().build().getOrDefault(WriteAheadLog.FOLDED, "0"));
  }

  @Test
  void theLogsChangesAndEventsAreFoldedAndOnlyLaterRecordsRemain() throws IOException {
    Path store = dir.resolve("store");
    Path wal = store.resolve(dev.magpie.engine.snapshot.SnapshotLayout.WAL);
    assertEquals(
        0, run("load", "--out", store.toString(), "--no-embed", "--show", "0"), err.toString());
    String a;
    String b;
    String c;
    int baseItems;
    int baseUsers;
    int relations;
    String category;
    try (Snapshot v1 = Snapshot.open(SnapshotStore.resolveVersionDir(store))) {
      ItemStore items = v1.items();
      a = items.externalId(0);
      b = items.externalId(1);
      c = items.externalId(2);
      baseItems = items.size();
      baseUsers = v1.userHistories().users();
      relations = v1.knowledge().relations().size();
      category = items.categoryPath(0);
      assertEquals(0, folded(v1));
    }
    try (WriteAheadLog log = WriteAheadLog.open(wal)) {
      log.append(
          new LiveUpdate.ItemChange(
              a, 1_234, "", LiveUpdate.ItemChange.KEEP_STOCK, LiveUpdate.Availability.UNCHANGED));
      log.append(new LiveUpdate.ItemChange(b, -1, "", 0, LiveUpdate.Availability.UNCHANGED));
      log.append(
          new LiveUpdate.ItemChange(
              c, -1, "", LiveUpdate.ItemChange.KEEP_STOCK, LiveUpdate.Availability.WITHDRAWN));
      log.append(new LiveUpdate.Event("brand-new-shopper", a, EventType.CART, 1_800_000_000L));
      log.append(new LiveUpdate.NewItem(newItem("live-1", "Heliotrope lantern", category, 4_200)));
      log.append(
          new LiveUpdate.NewItem(newItem("live-1", "A second add of the same id", category, 1)));
      log.append(new LiveUpdate.ItemChange("live-1", -1, "", 7, LiveUpdate.Availability.UNCHANGED));
      log.append(new LiveUpdate.NewItem(newItem("live-2", "Withdrawn before the fold", "", 100)));
      log.append(
          new LiveUpdate.ItemChange(
              "live-2",
              -1,
              "",
              LiveUpdate.ItemChange.KEEP_STOCK,
              LiveUpdate.Availability.WITHDRAWN));
      log.append(
          new LiveUpdate.Event("brand-new-shopper", "live-1", EventType.BUY, 1_800_000_100L));
      log.sync();
    }

    assertEquals(0, run("load", "--base", store.toString(), "--show", "0"), err.toString());
    assertTrue(
        out.toString()
            .contains(
                "Folded 10 write-ahead log records (through sequence 10; 2 items added, 2"
                    + " withdrawn"),
        out.toString());
    try (Snapshot v2 = Snapshot.open(SnapshotStore.resolveVersionDir(store))) {
      assertEquals(2, v2.manifest().version());
      assertEquals(10, folded(v2));
      ItemStore items = v2.items();
      assertEquals(
          baseItems, items.size(), "one item withdrawn, one added and one added and withdrawn");
      assertEquals(
          baseItems, items.snapshotSize(), "the added item is in the snapshot's files now");
      int added = items.ordinalOf("live-1");
      assertEquals(
          "Heliotrope lantern", items.title(added), "the first add of an id wins, as it did live");
      assertEquals(7, items.stock(added));
      assertEquals(4_200, items.priceMinor(added));
      assertEquals(-1, items.ordinalOf("live-2"));
      assertEquals(
          List.of("live-1"),
          new dev.magpie.engine.search.TextSearcher(v2)
              .search(dev.magpie.engine.search.SearchRequest.of("heliotrope", 5)).hits().stream()
                  .map(dev.magpie.engine.search.SearchHit::externalId)
                  .toList());
      assertEquals(-1, items.ordinalOf(c));
      assertEquals(1_234, items.priceMinor(items.ordinalOf(a)));
      assertEquals(0, items.stock(items.ordinalOf(b)));
      assertEquals(relations, v2.knowledge().relations().size(), "the base's knowledge is kept");
      assertEquals(
          baseUsers + 1, v2.userHistories().users(), "the base's event log plus the logged events");
      assertTrue(v2.userHistories().ordinalOf("brand-new-shopper") >= 0);
    }

    try (WriteAheadLog log = WriteAheadLog.open(wal)) {
      log.append(
          new LiveUpdate.ItemChange(
              a, 999, "", LiveUpdate.ItemChange.KEEP_STOCK, LiveUpdate.Availability.UNCHANGED));
      log.sync();
    }
    List<LiveUpdate> tail = new ArrayList<>();
    try (Snapshot v2 = Snapshot.open(SnapshotStore.resolveVersionDir(store))) {
      WriteAheadLog.read(wal, folded(v2), (sequence, update) -> tail.add(update));
    }
    assertEquals(1, tail.size(), "a server replays only what came after the fold: " + tail);

    out.getBuffer().setLength(0);
    assertEquals(
        0, run("load", "--out", store.toString(), "--no-embed", "--show", "0"), err.toString());
    try (Snapshot v3 = Snapshot.open(SnapshotStore.resolveVersionDir(store))) {
      assertEquals(11, folded(v3), "a fresh catalog supersedes what was logged before its load");
      assertEquals(-1, v3.items().ordinalOf("live-1"));
      assertTrue(v3.items().ordinalOf(c) >= 0);
    }
  }

  @Test
  void aBaseWhoseEventLogIsGoneNeedsEvents() throws IOException {
    Path store = dir.resolve("store");
    Path events = dir.resolve("events.csv");
    java.nio.file.Files.writeString(events, "user_id,item_id,event,timestamp\n");
    assertEquals(
        0,
        run(
            "load",
            "--out",
            store.toString(),
            "--no-embed",
            "--show",
            "0",
            "--events",
            events.toString()),
        err.toString());
    java.nio.file.Files.delete(events);
    assertEquals(2, run("load", "--base", store.toString(), "--show", "0"));
    assertTrue(
        err.toString().contains("which is not readable here: give --events"), err.toString());
    assertEquals(2, run("load", "--base", store.toString(), "--catalog", "x.jsonl"));
  }
}
