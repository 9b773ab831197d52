package dev.magpie.engine.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.io.FileOps;
import dev.magpie.engine.testing.FaultyFileOps;
import dev.magpie.engine.testing.Seeded;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Seeded
class WriteAheadLogTest {
  private static final long SMALL_SEGMENTS = 400;

  @TempDir Path dir;

  static LiveUpdate randomUpdate(Random random) {
    String item = "item-" + random.nextInt(1000) + (random.nextInt(10) == 0 ? "-ünïcødé" : "");
    if (random.nextInt(6) == 0) {
      java.util.Map<String, String> attributes = new java.util.LinkedHashMap<>();
      for (int i = random.nextInt(3); i > 0; i--) {
        attributes.put("attr-" + random.nextInt(9), "välue " + random.nextInt(99));
      }
      float[] vector = null;
      if (random.nextBoolean()) {
        vector = new float[1 + random.nextInt(8)];
        for (int i = 0; i < vector.length; i++) {
          vector[i] = (float) random.nextGaussian();
        }
      }
      boolean priced = random.nextBoolean();
      return new LiveUpdate.NewItem(
          new dev.magpie.engine.catalog.Item(
              item,
              "Title " + random.nextInt(99),
              random.nextBoolean() ? "" : "a description",
              random.nextBoolean() ? "" : "Brand",
              "A > B",
              priced ? random.nextInt(100_000) : -1,
              priced ? "USD" : "",
              random.nextInt(20) - 1,
              random.nextBoolean() ? Float.NaN : random.nextFloat() * 5,
              attributes,
              vector,
              random.nextBoolean()));
    }
    if (random.nextBoolean()) {
      LiveUpdate.Availability[] all = LiveUpdate.Availability.values();
      return new LiveUpdate.ItemChange(
          item,
          random.nextInt(3) == 0 ? -1 : random.nextInt(1_000_000),
          random.nextBoolean() ? "" : "USD",
          random.nextInt(3) == 0 ? LiveUpdate.ItemChange.KEEP_STOCK : random.nextInt(500) - 1,
          all[random.nextInt(all.length)]);
    }
    EventType[] types = EventType.values();
    return new LiveUpdate.Event(
        "user-" + random.nextInt(50),
        item,
        types[random.nextInt(types.length)],
        1_700_000_000L + random.nextInt(1_000_000));
  }

  private static List<LiveUpdate> replayAll(WriteAheadLog log, long after) throws IOException {
    List<LiveUpdate> out = new ArrayList<>();
    long[] previous = {after};
    log.replay(
        after,
        (sequence, update) -> {
          assertEquals(previous[0] + 1, sequence, "sequences are consecutive");
          previous[0] = sequence;
          out.add(update);
        });
    return out;
  }

  @Test
  void replaysWhatWasSyncedAcrossSegmentsAndReopens(Random random) throws IOException {
    List<LiveUpdate> written = new ArrayList<>();
    try (WriteAheadLog log = WriteAheadLog.open(dir, SMALL_SEGMENTS, FileOps.DEFAULT)) {
      assertEquals(0, log.lastSequence());
      for (int i = 0; i < 200; i++) {
        LiveUpdate u = randomUpdate(random);
        assertEquals(i + 1, log.append(u));
        written.add(u);
        if (random.nextInt(7) == 0) {
          log.sync();
        }
      }
      log.sync();
      assertTrue(log.segmentCount() > 5, "small segments roll: " + log.segmentCount());
      assertEquals(written, replayAll(log, 0));
      assertEquals(written.subList(137, 200), replayAll(log, 137));
    }
    try (WriteAheadLog log = WriteAheadLog.open(dir, SMALL_SEGMENTS, FileOps.DEFAULT)) {
      assertEquals(200, log.lastSequence());
      assertEquals(0, log.truncatedBytes());
      assertEquals(written, replayAll(log, 0));
      LiveUpdate next = randomUpdate(random);
      assertEquals(201, log.append(next));
      log.sync();
      written.add(next);
      assertEquals(written, replayAll(log, 0));
    }
  }

  /**
   * A failing fsync, a failing write, and a disk filling up (a budget of bytes, the last write cut
   * short), each hit while records are logged across small segments: the sync or append it hits
   * throws, nothing after it is taken, and the log reopened on the real file system replays every
   * acknowledged (synced) record, in order, then at most records that were sent: never one that was
   * not, never a damaged one.
   */
  @Test
  void aDiskFaultRefusesTheWriteItHitsAndKeepsEveryAcknowledgedRecord(Random random)
      throws IOException {
    for (FaultyFileOps.Fault fault :
        List.of(
            FaultyFileOps.Fault.FSYNC, FaultyFileOps.Fault.WRITE, FaultyFileOps.Fault.DISK_FULL)) {
      for (int trial = 0; trial < 5; trial++) {
        Path logDir = dir.resolve(fault + "-" + trial);
        FaultyFileOps ops = new FaultyFileOps();
        List<LiveUpdate> sent = new ArrayList<>();
        int acknowledged = 0;
        try (WriteAheadLog log = WriteAheadLog.open(logDir, SMALL_SEGMENTS, ops)) {
          for (int i = random.nextInt(30); i > 0; i--) {
            sent.add(randomUpdate(random));
            log.append(sent.getLast());
            if (random.nextInt(4) == 0) {
              log.sync();
              acknowledged = sent.size();
            }
          }
          log.sync();
          acknowledged = sent.size();
          if (fault == FaultyFileOps.Fault.DISK_FULL) {
            ops.fillDiskAfter(random.nextInt(400));
          } else {
            ops.arm(fault);
          }
          IOException refused = null;
          for (int i = 0; i < 200 && refused == null; i++) {
            try {
              LiveUpdate u = randomUpdate(random);
              log.append(u);
              sent.add(u);
              if (random.nextInt(3) == 0) {
                log.sync();
                acknowledged = sent.size();
              }
            } catch (IOException e) {
              refused = e;
            }
          }
          String what = fault + " trial " + trial;
          assertTrue(
              refused != null && refused.getMessage().startsWith("injected: "),
              what + ": " + refused);
          assertTrue(ops.faultsCaused() > 0, what);
          ops.disarm();
          IOException after =
              assertThrows(IOException.class, () -> log.append(randomUpdate(random)), what);
          assertTrue(after.getMessage().contains("failed earlier"), after.getMessage());
          assertThrows(IOException.class, log::sync, what + ": nothing more is synced either");
        }
        try (WriteAheadLog log = WriteAheadLog.open(logDir, SMALL_SEGMENTS, FileOps.DEFAULT)) {
          List<LiveUpdate> replayed = replayAll(log, 0);
          String what =
              fault
                  + " trial "
                  + trial
                  + ": "
                  + acknowledged
                  + " acknowledged of "
                  + sent.size()
                  + " sent, "
                  + replayed.size()
                  + " replayed";
          assertTrue(replayed.size() >= acknowledged && replayed.size() <= sent.size(), what);
          assertEquals(sent.subList(0, replayed.size()), replayed, what);
          LiveUpdate next = randomUpdate(random);
          assertEquals(
              replayed.size() + 1, log.append(next), what + ": appends go on after the restart");
          log.sync();
        }
      }
    }
  }

  /**
   * A crash can cut the newest segment anywhere: reopening keeps exactly the records wholly before
   * the cut.
   */
  @Test
  void aTornTailIsCutOffAtTheLastWholeRecord(Random random) throws IOException {
    List<LiveUpdate> written = new ArrayList<>();
    List<Long> ends = new ArrayList<>();
    try (WriteAheadLog log = WriteAheadLog.open(dir, 1 << 20, FileOps.DEFAULT)) {
      for (int i = 0; i < 30; i++) {
        LiveUpdate u = randomUpdate(random);
        log.append(u);
        log.sync();
        written.add(u);
        ends.add(Files.size(WriteAheadLog.segmentPath(dir, 1)));
      }
    }
    Path segment = WriteAheadLog.segmentPath(dir, 1);
    byte[] whole = Files.readAllBytes(segment);
    for (int trial = 0; trial < 40; trial++) {
      int cut =
          WriteAheadLog.HEADER_LENGTH
              + random.nextInt(whole.length - WriteAheadLog.HEADER_LENGTH + 1);
      Files.write(segment, java.util.Arrays.copyOf(whole, cut));
      int whole_records = 0;
      while (whole_records < ends.size() && ends.get(whole_records) <= cut) {
        whole_records++;
      }
      try (WriteAheadLog log = WriteAheadLog.open(dir, 1 << 20, FileOps.DEFAULT)) {
        assertEquals(whole_records, log.lastSequence(), "cut at " + cut);
        long kept = whole_records == 0 ? WriteAheadLog.HEADER_LENGTH : ends.get(whole_records - 1);
        assertEquals(cut - kept, log.truncatedBytes());
        assertEquals(written.subList(0, whole_records), replayAll(log, 0));
      }
    }
  }

  @Test
  void garbageAfterTheLastRecordIsCutAndAppendsContinue(Random random) throws IOException {
    LiveUpdate first = randomUpdate(random);
    try (WriteAheadLog log = WriteAheadLog.open(dir)) {
      log.append(first);
      log.sync();
    }
    Path segment = WriteAheadLog.segmentPath(dir, 1);
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.APPEND)) {
      channel.write(java.nio.ByteBuffer.wrap(new byte[] {40, 0, 0, 0, 1, 2, 3, 4, 5, 6}));
    }
    LiveUpdate second = randomUpdate(random);
    try (WriteAheadLog log = WriteAheadLog.open(dir)) {
      assertEquals(10, log.truncatedBytes());
      assertEquals(2, log.append(second));
      log.sync();
    }
    try (WriteAheadLog log = WriteAheadLog.open(dir)) {
      assertEquals(List.of(first, second), replayAll(log, 0));
    }
  }

  @Test
  void damageInAnOlderSegmentIsRefusedNamingTheFile(Random random) throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(dir, SMALL_SEGMENTS, FileOps.DEFAULT)) {
      for (int i = 0; i < 40; i++) {
        log.append(randomUpdate(random));
      }
      log.sync();
    }
    Path oldest = WriteAheadLog.segmentPath(dir, 1);
    byte[] bytes = Files.readAllBytes(oldest);
    bytes[WriteAheadLog.HEADER_LENGTH + 20] ^= 0x10;
    Files.write(oldest, bytes);
    try (WriteAheadLog log = WriteAheadLog.open(dir, SMALL_SEGMENTS, FileOps.DEFAULT)) {
      CorruptFileException e =
          assertThrows(CorruptFileException.class, () -> log.replay(0, (s, u) -> {}));
      assertEquals(oldest, e.file());
      assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }
  }

  @Test
  void aSegmentWhoseHeaderNeverReachedDiskIsDropped() throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(dir)) {
      log.append(new LiveUpdate.Event("u", "a", EventType.VIEW, 1));
      log.sync();
    }
    Files.write(WriteAheadLog.segmentPath(dir, 2), new byte[] {'M', 'G'});
    try (WriteAheadLog log = WriteAheadLog.open(dir)) {
      assertEquals(1, log.lastSequence());
      assertEquals(2, log.append(new LiveUpdate.Event("u", "b", EventType.CART, 2)));
      log.sync();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count(), "the empty segment was removed, appends went on in the first");
    }
  }

  @Test
  void pruningDeletesOnlyWhollyFoldedSegmentsAndReplaysStillWork(Random random) throws IOException {
    List<LiveUpdate> written = new ArrayList<>();
    try (WriteAheadLog log = WriteAheadLog.open(dir, SMALL_SEGMENTS, FileOps.DEFAULT)) {
      for (int i = 0; i < 60; i++) {
        LiveUpdate u = randomUpdate(random);
        log.append(u);
        written.add(u);
      }
      log.sync();
      int before = log.segmentCount();
      int deleted = WriteAheadLog.prune(dir, 30);
      assertTrue(deleted > 0 && deleted < before, deleted + " of " + before);
      assertEquals(
          written.subList(30, 60), replayAll(log, 30), "the open log replays past the pruned part");
      assertEquals(0, WriteAheadLog.prune(dir, 30), "nothing more to prune");
    }
    try (WriteAheadLog log = WriteAheadLog.open(dir, SMALL_SEGMENTS, FileOps.DEFAULT)) {
      assertEquals(60, log.lastSequence());
      assertEquals(written.subList(45, 60), replayAll(log, 45));
    }
    List<LiveUpdate> read = new ArrayList<>();
    assertEquals(60, WriteAheadLog.read(dir, 30, (sequence, update) -> read.add(update)));
    assertEquals(written.subList(30, 60), read);
    assertEquals(60, WriteAheadLog.end(dir));
    CorruptFileException gone =
        assertThrows(CorruptFileException.class, () -> WriteAheadLog.read(dir, 2, (q, u) -> {}));
    assertTrue(gone.getMessage().contains("records 3 to"), gone.getMessage());
    WriteAheadLog.prune(dir, 1_000);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(
          1, files.count(), "the newest segment is never deleted: it carries the sequence on");
    }
  }

  @Test
  void aForeignFileIsNotTakenForASegment() throws IOException {
    Files.write(
        WriteAheadLog.segmentPath(dir, 1), "not a log at all, just some text here...".getBytes());
    CorruptFileException e =
        assertThrows(CorruptFileException.class, () -> WriteAheadLog.open(dir));
    assertTrue(e.getMessage().contains("not a Magpie log segment"), e.getMessage());
  }
}
