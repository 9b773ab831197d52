package dev.magpie.engine.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.recommend.UserProfiles;
import dev.magpie.engine.search.SearchHit;
import dev.magpie.engine.search.SearchRequest;
import dev.magpie.engine.search.TextSearcher;
import dev.magpie.engine.search.VectorSearchRequest;
import dev.magpie.engine.search.VectorSearcher;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.View;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.engine.testing.TestSnapshots;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers under continuous writes see whole batches only. The writer applies batches that each set
 * the price and stock of every "watched" item to the batch's number (price = 1000 x stock) and add
 * one new item with a word and a vector of its own; readers acquire views all the while and check,
 * in each: every watched item shows the same batch (no half batch), each one's price and stock
 * agree (no half update), every added item the view's items hold is found by text and by vector
 * search in the view, and the next one is found by none of id, text or vector (a new item in every
 * channel or none). At the end every replaced view was retired once. Bounded: a fixed number of
 * batches, readers stop with the writer.
 */
@Seeded
class ViewsStressTest {
  private static final int DIM = 8;
  private static final int WATCHED = 24;
  private static final int BATCHES = 150;
  private static final int READERS = 2;

  @TempDir Path dir;

  @Test
  void readersUnderContinuousWritesNeverSeeHalfABatch(Random random) throws Exception {
    List<Item> base = new ArrayList<>();
    for (int i = 0; i < WATCHED; i++) {
      base.add(item("w-" + i, "Watched lantern " + i, 1_000, 1, vector(random)));
    }
    float[][] added = new float[BATCHES][];
    for (int b = 0; b < BATCHES; b++) {
      added[b] = vector(random);
    }
    try (Snapshot snapshot = TestSnapshots.build(dir.resolve("snap"), base)) {
      LiveApplier live = new LiveApplier(snapshot, new UserProfiles(snapshot::items, null));
      TextSearcher text = new TextSearcher(snapshot);
      VectorSearcher vectors = new VectorSearcher(snapshot, null);
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicLong views = new AtomicLong();
      AtomicLong epochsSeen = new AtomicLong();
      List<Throwable> failures = new CopyOnWriteArrayList<>();

      List<Thread> readers = new ArrayList<>();
      for (int r = 0; r < READERS; r++) {
        Thread reader =
            Thread.ofPlatform()
                .name("views-stress-reader-" + r)
                .start(
                    () -> {
                      long lastEpoch = -1;
                      try {
                        while (writing.get() || views.get() < 50) {
                          try (View view = snapshot.views().acquire()) {
                            check(view, text, vectors, added);
                            if (view.epoch() != lastEpoch) {
                              epochsSeen.incrementAndGet();
                              lastEpoch = view.epoch();
                            }
                          }
                          views.incrementAndGet();
                        }
                      } catch (Throwable t) {
                        failures.add(t);
                      }
                    });
        readers.add(reader);
      }

      for (int b = 1; b <= BATCHES && failures.isEmpty(); b++) {
        for (int i = 0; i < WATCHED; i++) {
          assertTrue(
              live.apply(
                  new LiveUpdate.ItemChange(
                      "w-" + i, 1_000L * b, "", b, LiveUpdate.Availability.UNCHANGED)));
        }
        int n = b - 1;
        assertTrue(
            live.apply(
                new LiveUpdate.NewItem(
                    item("n-" + n, "Added zq" + n + " lamp", 500, 3, added[n]))));
        live.publish();
      }
      writing.set(false);
      for (Thread reader : readers) {
        reader.join(60_000);
      }
      if (!failures.isEmpty()) {
        throw new AssertionError(failures.getFirst());
      }
      System.out.println(
          "[views] "
              + views.get()
              + " views checked over "
              + BATCHES
              + " batches, "
              + epochsSeen.get()
              + " epoch changes seen by readers");
      assertTrue(epochsSeen.get() > READERS, "readers read while the writer wrote");
      assertEquals(
          BATCHES,
          snapshot.views().retiredCount(),
          "every view a batch replaced was retired once its last reader closed it");
    }
  }

  /** The invariants of one view. */
  private static void check(View view, TextSearcher text, VectorSearcher vectors, float[][] added)
      throws Exception {
    ItemStore items = view.items();
    int batch = items.stock(items.ordinalOf("w-0"));
    for (int i = 0; i < WATCHED; i++) {
      int o = items.ordinalOf("w-" + i);
      assertEquals(batch, items.stock(o), "epoch " + view.epoch() + ": half a batch at w-" + i);
      assertEquals(
          1_000L * items.stock(o),
          items.priceMinor(o),
          "epoch " + view.epoch() + ": half an update");
    }
    int visible = items.size() - WATCHED;
    assertEquals(
        batch == 1 && visible == 0 ? 0 : batch, visible, "items added by the batches seen");
    for (int n : new int[] {visible - 1, visible}) {
      if (n < 0 || n >= added.length) {
        continue;
      }
      boolean shown = n < visible;
      String id = "n-" + n;
      assertEquals(shown, items.ordinalOf(id) >= 0, id + " by id, epoch " + view.epoch());
      List<String> byText =
          text.search(view, SearchRequest.of("zq" + n, 3)).hits().stream()
              .map(SearchHit::externalId)
              .toList();
      assertEquals(shown ? List.of(id) : List.of(), byText, id + " by text, epoch " + view.epoch());
      List<String> byVector =
          vectors.search(view, VectorSearchRequest.vector(added[n], 1)).hits().stream()
              .map(SearchHit::externalId)
              .toList();
      assertEquals(
          shown,
          byVector.equals(List.of(id)),
          id + " by vector " + byVector + ", epoch " + view.epoch());
    }
  }

  private static float[] vector(Random random) {
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  private static Item item(String id, String title, long price, int stock, float[] vector) {
    return new Item(
        id,
        title,
        "",
        "Acme",
        "Outdoor > Lights",
        price,
        "USD",
        stock,
        Float.NaN,
        Map.of(),
        vector);
  }
}
