package dev.magpie.engine.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.testing.Seeded;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Seeded
class GroupCommitterTest {
  @TempDir Path dir;

  /**
   * Appliers see updates in log order; every acknowledged batch is in the log, whole and in order.
   */
  @Test
  void concurrentBatchesAreLoggedAppliedInLogOrderThenAcknowledged(Random random) throws Exception {
    List<LiveUpdate> applied = Collections.synchronizedList(new ArrayList<>());
    List<Long> appliedSequences = Collections.synchronizedList(new ArrayList<>());
    ConcurrentHashMap<Long, List<LiveUpdate>> acknowledged = new ConcurrentHashMap<>();
    long seed = random.nextLong();
    GroupCommitter.Applier applier =
        (sequence, update) -> {
          appliedSequences.add(sequence);
          applied.add(update);
        };
    try (GroupCommitter committer =
        new GroupCommitter(WriteAheadLog.open(dir), applier, "test-wal-writer")) {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Random mine = new Random(seed + t);
        threads.add(
            Thread.ofPlatform()
                .name("submitter-" + t)
                .start(
                    () -> {
                      for (int b = 0; b < 50; b++) {
                        List<LiveUpdate> batch = new ArrayList<>();
                        for (int i = 1 + mine.nextInt(4); i > 0; i--) {
                          batch.add(WriteAheadLogTest.randomUpdate(mine));
                        }
                        long end = committer.submit(batch).join();
                        // Acknowledged means applied already.
                        assertTrue(appliedSequences.contains(end));
                        acknowledged.put(end, batch);
                      }
                    }));
      }
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(60));
      }
      assertEquals(200, acknowledged.size());
      assertTrue(committer.commits() <= committer.records());
      assertEquals(applied.size(), committer.records());
    }
    List<Long> expectedSequences = new ArrayList<>();
    for (long s = 1; s <= applied.size(); s++) {
      expectedSequences.add(s);
    }
    assertEquals(expectedSequences, appliedSequences);
    List<LiveUpdate> logged = new ArrayList<>();
    try (WriteAheadLog log = WriteAheadLog.open(dir)) {
      log.replay(0, (sequence, update) -> logged.add(update));
    }
    assertEquals(applied, logged, "the log holds exactly what was applied, in that order");
    for (var ack : acknowledged.entrySet()) {
      int end = ack.getKey().intValue();
      List<LiveUpdate> batch = ack.getValue();
      assertEquals(
          batch, logged.subList(end - batch.size(), end), "a batch is logged contiguously");
    }
  }

  @Test
  void exclusiveWorkRunsOnTheWriterBetweenCommitsAndClosingRefusesMore() throws Exception {
    GroupCommitter committer =
        new GroupCommitter(WriteAheadLog.open(dir), (s, u) -> {}, "test-wal-writer");
    CompletableFuture<String> where = committer.exclusive(() -> Thread.currentThread().getName());
    assertEquals("test-wal-writer", where.get(10, TimeUnit.SECONDS));
    committer
        .submit(List.of(WriteAheadLogTest.randomUpdate(new Random(1))))
        .get(10, TimeUnit.SECONDS);
    committer.close();
    assertThrows(
        IllegalStateException.class,
        () -> committer.submit(List.of(WriteAheadLogTest.randomUpdate(new Random(2)))));
  }

  @Test
  void anApplierFailureIsCountedAndTheRecordStaysLogged() throws IOException {
    try (GroupCommitter committer =
        new GroupCommitter(
            WriteAheadLog.open(dir),
            (s, u) -> {
              throw new IllegalStateException("boom");
            },
            "test-wal-writer")) {
      assertEquals(
          1L, committer.submit(List.of(WriteAheadLogTest.randomUpdate(new Random(3)))).join());
      assertEquals(1, committer.applyFailures());
    }
    try (WriteAheadLog log = WriteAheadLog.open(dir)) {
      assertEquals(1, log.lastSequence());
    }
  }
}
