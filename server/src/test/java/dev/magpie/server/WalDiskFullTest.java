package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.magpie.api.v1.AdminGrpc;
import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.Item;
import dev.magpie.api.v1.ItemUpdate;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.StatsRequest;
import dev.magpie.api.v1.UpdateItemsRequest;
import dev.magpie.engine.testing.ChildJvm;
import dev.magpie.engine.testing.LongMode;
import dev.magpie.engine.testing.Seeded;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead log on a file system that refuses its writes: a real kernel error, not an
 * injected one. The server runs in a process of its own under a random file size limit ({@code
 * ulimit -f}), so the log's segment stops growing there with "File too large", as a full disk stops
 * it with "No space left on device" (the kernel writes what fits and refuses the rest, so the
 * refused record can be torn). One writer sends UpdateItems, each raising one item's stock, until
 * one is refused:
 *
 * <ul>
 *   <li>that one gets UNAVAILABLE naming the log and the file system's error; every later update is
 *       refused too, and none of them is applied;
 *   <li>lookups and searches go on answering;
 *   <li>restarted without the limit, the server replays every acknowledged update (and at most the
 *       refused one, whose outcome its caller was told is unknown), cutting the torn tail; writes
 *       go on.
 * </ul>
 *
 * Linux (bash's ulimit; the JVM ignores SIGXFSZ, so the write fails instead of the process dying).
 * Two limits per build; {@code -Plong} tries 10 ({@code -Dmagpie.wal.full.trials=N}).
 */
@Seeded
class WalDiskFullTest {
  private static final int ITEMS = 8;

  /**
   * Stock the catalog gives every item ({@link LiveUpdatesTest#catalog}); the writer sends 100 and
   * up.
   */
  private static final int CATALOG_STOCK = 10;

  @TempDir Path dir;

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aLogTheFileSystemStopsRefusesWritesKeepsReadsAndLosesNothingAcknowledged(Random random)
      throws Exception {
    assumeTrue(ChildJvm.fileLimitSupported(), "needs Linux and bash for ulimit -f");
    int trials = LongMode.count("wal.full.trials", 2, 10);
    List<String> figures = new ArrayList<>();
    for (int trial = 1; trial <= trials; trial++) {
      Path store = dir.resolve("store-" + trial);
      Path wal = dir.resolve("wal-" + trial);
      Path output = dir.resolve("server-" + trial + ".log");
      LiveUpdatesTest.snapshot(store).close();
      int limitKib = 4 + random.nextInt(29);
      String when = "trial " + trial + " under a " + limitKib + " KiB file limit";
      long[] acked = new long[ITEMS];
      Arrays.fill(acked, CATALOG_STOCK);
      int refusedItem;
      long refusedStock;
      int acknowledged = 0;
      try (ServerProcess server = ServerProcess.start(store, wal, output, limitKib)) {
        MagpieGrpc.MagpieBlockingStub magpie = MagpieGrpc.newBlockingStub(server.channel(120));
        long stock = 100;
        StatusRuntimeException refused = null;
        int item = 0;
        while (refused == null) {
          item = random.nextInt(ITEMS);
          stock++;
          try {
            magpie.withDeadlineAfter(20, TimeUnit.SECONDS).updateItems(update(item, stock));
            acked[item] = stock;
            acknowledged++;
          } catch (StatusRuntimeException e) {
            refused = e;
          }
          assertTrue(stock < 100 + 1024L * limitKib, when + ": the limit was never reached");
        }
        refusedItem = item;
        refusedStock = stock;
        assertEquals(
            Status.Code.UNAVAILABLE,
            refused.getStatus().getCode(),
            when + ": " + refused.getStatus());
        assertTrue(
            refused.getStatus().getDescription().startsWith("write-ahead log: ")
                && refused.getStatus().getDescription().contains("File too large"),
            when + ": " + refused.getStatus());
        for (int k = 0; k < 3; k++) {
          int other = (refusedItem + 1 + k) % ITEMS;
          StatusRuntimeException later =
              assertThrows(
                  StatusRuntimeException.class,
                  () ->
                      magpie
                          .withDeadlineAfter(20, TimeUnit.SECONDS)
                          .updateItems(update(other, 1_000_000)));
          assertEquals(
              Status.Code.UNAVAILABLE,
              later.getStatus().getCode(),
              when + ": " + later.getStatus());
        }
        List<Item> served = items(magpie);
        for (int i = 0; i < ITEMS; i++) {
          assertEquals(
              acked[i],
              served.get(i).getStock(),
              when + ": case" + i + " shows what was acknowledged");
        }
        assertEquals(
            ITEMS,
            magpie
                .search(SearchRequest.newBuilder().setQuery("phone case").setK(20).build())
                .getHitsCount(),
            when + ": searches still answer");
      }
      try (ServerProcess server = ServerProcess.start(store, wal, output)) {
        MagpieGrpc.MagpieBlockingStub magpie = MagpieGrpc.newBlockingStub(server.channel(120));
        long replayed =
            AdminGrpc.newBlockingStub(server.channel(120))
                .stats(StatsRequest.getDefaultInstance())
                .getWalReplayed();
        assertTrue(
            replayed == acknowledged || replayed == acknowledged + 1,
            when + ": replayed " + replayed + " of " + acknowledged + " acknowledged");
        List<Item> served = items(magpie);
        for (int i = 0; i < ITEMS; i++) {
          long stock = served.get(i).getStock();
          boolean replayedRefused = replayed == acknowledged + 1 && i == refusedItem;
          assertEquals(
              replayedRefused ? refusedStock : acked[i],
              stock,
              when + ": case" + i + " after the restart");
          assertEquals(
              stock == CATALOG_STOCK ? 2_000L + i * 100 : 1_000 + stock,
              served.get(i).getPriceMinor(),
              when + ": case" + i + "'s price comes with its stock");
        }
        magpie.updateItems(update(0, 999_999));
        assertEquals(
            999_999, items(magpie).get(0).getStock(), when + ": writes go on after the restart");
        figures.add(
            acknowledged
                + " acknowledged @"
                + limitKib
                + " KiB"
                + (replayed > acknowledged ? " (+ the refused one, whole)" : ""));
      }
    }
    System.out.println("[wal disk full] " + figures);
  }

  private static UpdateItemsRequest update(int item, long stock) {
    return UpdateItemsRequest.newBuilder()
        .addUpdates(
            ItemUpdate.newBuilder()
                .setItemId("case" + item)
                .setStock((int) stock)
                .setPriceMinor(1_000 + stock))
        .build();
  }

  private static List<Item> items(MagpieGrpc.MagpieBlockingStub magpie) {
    GetItemsRequest.Builder request = GetItemsRequest.newBuilder();
    for (int i = 0; i < ITEMS; i++) {
      request.addIds("case" + i);
    }
    return magpie.withDeadlineAfter(20, TimeUnit.SECONDS).getItems(request.build()).getItemsList();
  }
}
