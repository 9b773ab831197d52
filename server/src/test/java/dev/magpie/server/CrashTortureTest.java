package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.magpie.api.v1.AdminGrpc;
import dev.magpie.api.v1.Event;
import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.Item;
import dev.magpie.api.v1.ItemUpdate;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.RecordEventsRequest;
import dev.magpie.api.v1.StatsRequest;
import dev.magpie.api.v1.StatsResponse;
import dev.magpie.api.v1.UpdateItemsRequest;
import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.live.LiveUpdate;
import dev.magpie.engine.live.WriteAheadLog;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.testing.LongMode;
import dev.magpie.engine.testing.Seeded;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash torture of the write path: a server in its own process takes UpdateItems and RecordEvents
 * from four writers, every acknowledgement recorded with the log sequence it names, and is killed
 * with SIGKILL at a random moment: while writes stream in, as they begin, or while the server is
 * still starting (opening and replaying the log). After each kill:
 *
 * <ul>
 *   <li>the log, read on its own, holds every acknowledged record at the sequence the server
 *       acknowledged, exactly as sent, and the snapshot opens with every checksum verified;
 *   <li>the restarted server replays exactly the records the log holds, and every item shows at
 *       least the last stock acknowledged for it and at most the last one sent, with the price sent
 *       in the same change (an update is never half applied).
 * </ul>
 *
 * <p>The same store and log carry over from trial to trial, so later restarts replay everything the
 * earlier ones logged. Three trials per build; {@code -Plong} runs 50 ({@code
 * -Dmagpie.crash.trials=N} any number).
 */
@Seeded
class CrashTortureTest {
  private static final int ITEMS = 8;
  private static final int ITEM_WRITERS = 2;
  private static final int EVENT_WRITERS = 2;

  /**
   * Stock the catalog gives every item ({@link LiveUpdatesTest#catalog}); the writers send 100 and
   * up.
   */
  private static final int CATALOG_STOCK = 10;

  private static final long EPOCH = 1_700_000_000L;
  private static final EventType[] TYPES = {
    EventType.VIEW, EventType.FAV, EventType.CART, EventType.BUY
  };

  @TempDir Path dir;

  /** What the writers were told was durable, and what they sent. */
  private static final class Ledger {
    /** Acknowledged records by log sequence, as sent. */
    final Map<Long, LiveUpdate> acknowledged = new ConcurrentHashMap<>();

    /** Per item, the highest stock acknowledged (or seen after a restart). */
    final AtomicLongArray ackedStock = new AtomicLongArray(ITEMS);

    /** Per item, the highest stock sent. */
    final AtomicLongArray sentStock = new AtomicLongArray(ITEMS);

    final AtomicLong events = new AtomicLong();
    final AtomicLong updates = new AtomicLong();

    /** Calls that failed while the server was meant to be up. */
    final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();

    volatile boolean killing;

    void failed(String writer, StatusRuntimeException e) {
      if (!killing) {
        errors.add(writer + ": " + e.getStatus());
      }
    }
  }

  @Test
  void everyAcknowledgedWriteSurvivesSigkillAtRandomMoments(Random random) throws Exception {
    int trials = LongMode.count("crash.trials", 3, 50);
    Path store = dir.resolve("store");
    Path wal = dir.resolve("wal");
    Path output = dir.resolve("servers.log");
    LiveUpdatesTest.snapshot(store).close();
    for (int i = 0; i < ITEMS; i++) {
      // Stocks the writers send start at 100: CATALOG_STOCK means "never changed".
      assertEquals(CATALOG_STOCK, LiveUpdatesTest.catalog().get(i).stock());
    }
    Ledger ledger = new Ledger();
    long startupMillis = 0;
    int killedStarting = 0;
    int logged = 0;
    for (int trial = 0; trial < trials; trial++) {
      long started = System.nanoTime();
      try (ServerProcess server = ServerProcess.start(store, wal, output)) {
        if (trial > 0 && random.nextInt(5) == 0) {
          // Killed while it opens the log (cutting a torn tail) and replays it.
          Thread.sleep(random.nextLong(startupMillis));
          server.kill();
          killedStarting++;
        } else {
          ManagedChannel channel = server.channel(120);
          startupMillis =
              Math.max(startupMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
          checkServed(channel, ledger, logged, "trial " + trial + " (restart)");
          writeThenKill(server, channel, ledger, random, trial);
        }
      }
      logged = checkOnDisk(store, wal, ledger, "trial " + trial);
    }
    try (ServerProcess server = ServerProcess.start(store, wal, output)) {
      checkServed(server.channel(120), ledger, logged, "after the last trial");
    }
    System.out.printf(
        "[crash torture] %d SIGKILLs (%d while starting), %,d acknowledged updates and %,d events, "
            + "%,d records in the log: every acknowledged one present%n",
        trials, killedStarting, ledger.updates.get(), ledger.events.get(), logged);
    assertTrue(ledger.acknowledged.size() > 0, "the writers got acknowledgements");
  }

  /** Streams writes, kills the server at a random moment, and waits for the writers to see it. */
  private static void writeThenKill(
      ServerProcess server, ManagedChannel channel, Ledger ledger, Random random, int trial)
      throws InterruptedException {
    MagpieGrpc.MagpieBlockingStub magpie = MagpieGrpc.newBlockingStub(channel);
    ledger.killing = false;
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < ITEM_WRITERS; w++) {
      Random own = new Random(random.nextLong());
      int first = w * (ITEMS / ITEM_WRITERS);
      String name = "crash-torture-items-" + w;
      writers.add(
          Thread.ofPlatform().name(name).start(() -> writeItems(magpie, ledger, own, first, name)));
    }
    for (int w = 0; w < EVENT_WRITERS; w++) {
      Random own = new Random(random.nextLong());
      String name = "crash-torture-events-" + w;
      writers.add(
          Thread.ofPlatform().name(name).start(() -> writeEvents(magpie, ledger, own, name)));
    }
    int before = ledger.acknowledged.size();
    // A quarter of the later trials kill before any write is acknowledged; the first always waits
    // for at least one, so every run checks acknowledged writes (three trials could all draw 0).
    int wanted = trial > 0 && random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(300);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (ledger.acknowledged.size() - before < wanted
        && System.nanoTime() < deadline
        && ledger.errors.isEmpty()) {
      Thread.sleep(1);
    }
    Thread.sleep(random.nextInt(200));
    ledger.killing = true;
    server.kill();
    for (Thread writer : writers) {
      writer.join(TimeUnit.SECONDS.toMillis(60));
      assertTrue(!writer.isAlive(), writer.getName() + " still writing a minute after the kill");
    }
    assertTrue(
        ledger.errors.isEmpty(),
        "trial " + trial + ": calls failed while the server was up: " + ledger.errors);
  }

  private static void writeItems(
      MagpieGrpc.MagpieBlockingStub magpie, Ledger ledger, Random random, int first, String name) {
    int owned = ITEMS / ITEM_WRITERS;
    while (true) {
      int count = 1 + random.nextInt(owned);
      int start = random.nextInt(owned);
      UpdateItemsRequest.Builder request = UpdateItemsRequest.newBuilder();
      List<LiveUpdate> sent = new ArrayList<>();
      for (int k = 0; k < count; k++) {
        int item = first + (start + k) % owned;
        long stock = Math.max(ledger.sentStock.get(item), 99) + 1;
        ledger.sentStock.set(item, stock);
        request.addUpdates(
            ItemUpdate.newBuilder()
                .setItemId("case" + item)
                .setStock((int) stock)
                .setPriceMinor(1_000 + stock));
        sent.add(
            new LiveUpdate.ItemChange(
                "case" + item, 1_000 + stock, "", (int) stock, LiveUpdate.Availability.UNCHANGED));
      }
      long sequence;
      try {
        sequence =
            magpie
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .updateItems(request.build())
                .getSequence();
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
          continue; // shed before it ran: never applied
        }
        ledger.failed(name, e);
        return;
      }
      acknowledge(ledger, sequence, sent);
      ledger.updates.addAndGet(count);
      for (LiveUpdate update : sent) {
        LiveUpdate.ItemChange change = (LiveUpdate.ItemChange) update;
        int item = Integer.parseInt(change.itemId().substring(4));
        ledger.ackedStock.accumulateAndGet(item, change.stock(), Math::max);
      }
    }
  }

  private static void writeEvents(
      MagpieGrpc.MagpieBlockingStub magpie, Ledger ledger, Random random, String name) {
    while (true) {
      int count = 1 + random.nextInt(4);
      RecordEventsRequest.Builder request = RecordEventsRequest.newBuilder();
      List<LiveUpdate> sent = new ArrayList<>();
      for (int k = 0; k < count; k++) {
        String user = "torture-shopper-" + random.nextInt(20);
        String item = "case" + random.nextInt(ITEMS);
        EventType type = TYPES[random.nextInt(TYPES.length)];
        long time = EPOCH + random.nextInt(1_000_000);
        request.addEvents(
            Event.newBuilder()
                .setUser(user)
                .setItemId(item)
                .setType(type.name().toLowerCase())
                .setTimeEpochSeconds(time));
        sent.add(new LiveUpdate.Event(user, item, type, time));
      }
      long sequence;
      try {
        sequence =
            magpie
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .recordEvents(request.build())
                .getSequence();
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
          continue;
        }
        ledger.failed(name, e);
        return;
      }
      acknowledge(ledger, sequence, sent);
      ledger.events.addAndGet(count);
    }
  }

  /** A call's records take consecutive sequences ending at the one acknowledged. */
  private static void acknowledge(Ledger ledger, long last, List<LiveUpdate> sent) {
    long first = last - sent.size() + 1;
    for (int k = 0; k < sent.size(); k++) {
      LiveUpdate previous = ledger.acknowledged.put(first + k, sent.get(k));
      if (previous != null) {
        ledger.errors.add(
            "sequence " + (first + k) + " acknowledged twice: " + previous + " and " + sent.get(k));
      }
    }
  }

  /**
   * Reads the log on its own: every acknowledged record is there as sent; the snapshot opens with
   * full verification. Returns how many records the log holds.
   */
  private static int checkOnDisk(Path store, Path wal, Ledger ledger, String when)
      throws Exception {
    Map<Long, LiveUpdate> logged = new HashMap<>();
    WriteAheadLog.read(wal, 0, logged::put);
    for (Map.Entry<Long, LiveUpdate> acked : ledger.acknowledged.entrySet()) {
      LiveUpdate found = logged.get(acked.getKey());
      if (!acked.getValue().equals(found)) {
        fail(
            when
                + ": acknowledged record "
                + acked.getKey()
                + " was "
                + acked.getValue()
                + ", the log holds "
                + found
                + " ("
                + logged.size()
                + " records)");
      }
    }
    try (Snapshot snapshot = SnapshotStore.open(store).openCurrent()) {
      assertEquals(ITEMS, snapshot.items().size(), when);
    }
    return logged.size();
  }

  /**
   * The restarted server replayed every record the log holds, and each item's stock lies between
   * what was acknowledged and what was sent, with its price from the same change.
   */
  private static void checkServed(ManagedChannel channel, Ledger ledger, int logged, String when) {
    StatsResponse stats =
        AdminGrpc.newBlockingStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .stats(StatsRequest.getDefaultInstance());
    assertEquals(logged, stats.getWalReplayed(), when + ": records replayed");
    assertEquals(logged, stats.getWalSequence(), when + ": the log's last sequence");
    GetItemsRequest.Builder request = GetItemsRequest.newBuilder();
    for (int i = 0; i < ITEMS; i++) {
      request.addIds("case" + i);
    }
    List<Item> items =
        MagpieGrpc.newBlockingStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .getItems(request.build())
            .getItemsList();
    for (int i = 0; i < ITEMS; i++) {
      Item item = items.get(i);
      long stock = item.getStock();
      long acked = ledger.ackedStock.get(i);
      long sent = ledger.sentStock.get(i);
      if (sent == 0) {
        assertEquals(CATALOG_STOCK, stock, when + ": case" + i + " was never updated");
        continue;
      }
      assertTrue(
          stock >= Math.max(acked, CATALOG_STOCK) && stock <= sent,
          when
              + ": case"
              + i
              + " has stock "
              + stock
              + "; acknowledged "
              + acked
              + ", sent up to "
              + sent);
      if (stock >= 100) {
        assertEquals(
            1_000 + stock,
            item.getPriceMinor(),
            when + ": case" + i + "'s price comes with its stock");
      }
      ledger.ackedStock.set(i, stock); // replayed from the log, so it stays there
    }
  }
}
