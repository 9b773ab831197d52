package dev.magpie.engine.live;

import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.io.FileOps;
import dev.magpie.engine.snapshot.Manifest;
import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * An append-only log of {@link LiveUpdate}s in numbered segment files, each record numbered
 * (sequence 1, 2, ...) and checksummed, so that what {@link #sync} returned from is replayed after
 * any crash. A record is durable once {@link #sync} returns; a crash in the middle of a write
 * leaves a torn tail in the newest segment, which {@link #open} cuts off (those records were never
 * acknowledged). Damage anywhere else is refused with the file and offset: silently skipping
 * acknowledged records is not an option. One writer: not thread-safe.
 *
 * <pre>
 *  segment file wal-&lt;first sequence, 16 digits&gt;.log
 *  +---------------------------------------------------------------------+ 0
 *  | header   magic int32 "MGWL" | version int32 | first sequence int64   |
 *  |          | reserved int64 | crc32c int32 of the 24 bytes before | 0  |
 *  +---------------------------------------------------------------------+ 32
 *  | record   length int32 (of sequence..payload) | crc32c int32 (of the  |
 *  |          same bytes) | sequence int64 | type int8 | payload         |
 *  |          (see LiveUpdateCodec)                                       |
 *  | record   ...  sequences consecutive, across segments too            |
 *  +---------------------------------------------------------------------+
 *  all little-endian; a new segment starts when the current one would pass its size
 * </pre>
 */
public final class WriteAheadLog implements Closeable {
  /**
   * The key in a snapshot manifest's build parameters holding the last log sequence folded into the
   * snapshot: a server replays only the records after it.
   */
  public static final String FOLDED = "wal.sequence";

  /**
   * The last log sequence the snapshot with {@code manifest} holds (0 when it was not folded from a
   * log).
   *
   * @throws IllegalArgumentException when the manifest's value is not a number
   */
  public static long folded(Manifest manifest) {
    String value = manifest.build().get(FOLDED);
    try {
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "manifest " + FOLDED + " '" + value + "' is not a number", e);
    }
  }

  /** Format version of segment files. */
  public static final int VERSION = 1;

  /** Segment size at which a new segment starts, by default. */
  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;

  /** Largest payload of one record. */
  public static final int MAX_PAYLOAD = 1 << 20;

  static final int MAGIC = 'M' | 'G' << 8 | 'W' << 16 | 'L' << 24;
  static final int HEADER_LENGTH = 32;

  /** Record bytes before the payload: length, crc, sequence, type. */
  static final int RECORD_HEADER = 4 + 4 + 8 + 1;

  private static final int CHECKED_FROM = 8;
  private static final Pattern NAME = Pattern.compile("wal-(\\d{16})\\.log");
  private static final ValueLayout.OfInt INT =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong LONG =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** Receives replayed records in sequence order. */
  @FunctionalInterface
  public interface Replay {
    /** Record {@code sequence} holds {@code update}. */
    void accept(long sequence, LiveUpdate update);
  }

  private final Path dir;
  private final FileOps ops;
  private final long segmentBytes;

  /** First sequence of each segment, oldest first; the last is the active one. */
  private final List<Long> segments;

  private final long truncatedBytes;
  private FileChannel active;
  private long activeBytes;
  private long lastSequence;
  private ByteBuffer pending = ByteBuffer.allocate(64 << 10).order(ByteOrder.LITTLE_ENDIAN);
  private IOException failure;

  private WriteAheadLog(
      Path dir,
      FileOps ops,
      long segmentBytes,
      List<Long> segments,
      long truncatedBytes,
      FileChannel active,
      long activeBytes,
      long lastSequence) {
    this.dir = dir;
    this.ops = ops;
    this.segmentBytes = segmentBytes;
    this.segments = segments;
    this.truncatedBytes = truncatedBytes;
    this.active = active;
    this.activeBytes = activeBytes;
    this.lastSequence = lastSequence;
  }

  /** Opens (or creates) the log in {@code dir} with the default segment size. */
  public static WriteAheadLog open(Path dir) throws IOException {
    return open(dir, DEFAULT_SEGMENT_BYTES, FileOps.DEFAULT);
  }

  /**
   * Opens (or creates) the log in {@code dir}: checks every segment's header, reads the newest
   * segment to its end, cuts off a torn tail there, and makes ready to append.
   *
   * @throws CorruptFileException naming the file and what is wrong, for damage a crash cannot
   *     explain
   */
  public static WriteAheadLog open(Path dir, long segmentBytes, FileOps ops) throws IOException {
    if (segmentBytes < HEADER_LENGTH + RECORD_HEADER) {
      throw new IllegalArgumentException("segment size " + segmentBytes + " is too small");
    }
    Files.createDirectories(dir);
    List<Long> segments = listSegments(dir);
    if (!segments.isEmpty()) {
      Path newest = segmentPath(dir, segments.getLast());
      if (Files.size(newest) < HEADER_LENGTH) {
        // Created, header not yet durable: no record can be in it.
        Files.delete(newest);
        ops.fsyncDirectory(dir);
        segments.removeLast();
      }
    }
    for (long first : segments) {
      checkHeader(segmentPath(dir, first), first);
    }
    if (segments.isEmpty()) {
      long first = 1;
      FileChannel channel = createSegment(dir, ops, first);
      segments.add(first);
      return new WriteAheadLog(
          dir, ops, segmentBytes, segments, 0, channel, HEADER_LENGTH, first - 1);
    }
    long first = segments.getLast();
    Path newest = segmentPath(dir, first);
    long[] last = {first - 1};
    Scan scan = scan(newest, first, (sequence, update) -> last[0] = sequence);
    FileChannel channel =
        FileChannel.open(newest, StandardOpenOption.READ, StandardOpenOption.WRITE);
    long truncated = scan.fileBytes - scan.validBytes;
    if (truncated > 0) {
      channel.truncate(scan.validBytes);
      ops.force(channel, true);
    }
    channel.position(scan.validBytes);
    return new WriteAheadLog(
        dir, ops, segmentBytes, segments, truncated, channel, scan.validBytes, last[0]);
  }

  /** The log's directory. */
  public Path dir() {
    return dir;
  }

  /** Sequence of the last record appended (durable only after {@link #sync}), 0 when none. */
  public long lastSequence() {
    return lastSequence;
  }

  /** Bytes of a torn tail cut off when the log was opened (0 after a clean stop). */
  public long truncatedBytes() {
    return truncatedBytes;
  }

  /** Number of segment files. */
  public int segmentCount() {
    return segments.size();
  }

  /**
   * Appends {@code update} and returns its sequence; it is durable once {@link #sync} returns.
   *
   * @throws IllegalArgumentException when its payload exceeds {@link #MAX_PAYLOAD}
   * @throws IOException when an earlier write failed: the log takes nothing more until reopened
   */
  public long append(LiveUpdate update) throws IOException {
    checkHealthy();
    int payload = LiveUpdateCodec.length(update);
    if (payload > MAX_PAYLOAD) {
      throw new IllegalArgumentException("update of " + payload + " bytes exceeds " + MAX_PAYLOAD);
    }
    int total = RECORD_HEADER + payload;
    long queued = activeBytes + pending.position();
    if (queued + total > segmentBytes && queued > HEADER_LENGTH) {
      roll();
    }
    if (pending.remaining() < total) {
      ByteBuffer bigger =
          ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + total))
              .order(ByteOrder.LITTLE_ENDIAN);
      pending.flip();
      bigger.put(pending);
      pending = bigger;
    }
    long sequence = lastSequence + 1;
    int start = pending.position();
    pending.putInt(total - CHECKED_FROM);
    pending.putInt(0);
    pending.putLong(sequence);
    pending.put(LiveUpdateCodec.type(update));
    LiveUpdateCodec.encode(update, pending);
    CRC32C crc = new CRC32C();
    crc.update(pending.array(), start + CHECKED_FROM, total - CHECKED_FROM);
    pending.putInt(start + 4, (int) crc.getValue());
    lastSequence = sequence;
    return sequence;
  }

  /**
   * Writes what was appended and forces it to stable storage; after it returns, it survives a
   * crash.
   */
  public void sync() throws IOException {
    checkHealthy();
    try {
      write();
      ops.force(active, false);
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  private void write() throws IOException {
    pending.flip();
    while (pending.hasRemaining()) {
      activeBytes += ops.write(active, pending);
    }
    pending.clear();
  }

  private void roll() throws IOException {
    try {
      write();
      ops.force(active, false);
      active.close();
      long first = lastSequence + 1;
      active = createSegment(dir, ops, first);
      activeBytes = HEADER_LENGTH;
      segments.add(first);
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  private void checkHealthy() throws IOException {
    if (failure != null) {
      throw new IOException(
          "the write-ahead log in " + dir + " failed earlier and takes nothing more", failure);
    }
  }

  /**
   * Reads every durable record with a sequence above {@code after}, oldest first.
   *
   * @throws CorruptFileException for a damaged record, naming the file and offset
   */
  public void replay(long after, Replay into) throws IOException {
    if (pending.position() > 0) {
      throw new IllegalStateException("replay with unsynced appends");
    }
    readSegments(dir, segments, after, into, lastSequence);
  }

  /**
   * Reads the log in {@code dir} without changing anything (a server may be appending to it): every
   * whole record after {@code after}, oldest first, stopping at the newest segment's end or at a
   * record still being written there. Returns the last sequence read, or {@code after} when none.
   *
   * @throws CorruptFileException for damage anywhere but the newest segment's tail
   */
  public static long read(Path dir, long after, Replay into) throws IOException {
    if (!Files.isDirectory(dir)) {
      return after;
    }
    List<Long> segments = listSegments(dir);
    if (!segments.isEmpty() && Files.size(segmentPath(dir, segments.getLast())) < HEADER_LENGTH) {
      segments.removeLast(); // just created by a writer, no record in it yet
    }
    for (long first : segments) {
      checkHeader(segmentPath(dir, first), first);
    }
    return Math.max(after, readSegments(dir, segments, after, into, -1));
  }

  /**
   * The sequence of the last whole record of the log in {@code dir}, read from its newest segment
   * without changing anything; 0 when there is no log.
   */
  public static long end(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    List<Long> segments = listSegments(dir);
    if (!segments.isEmpty() && Files.size(segmentPath(dir, segments.getLast())) < HEADER_LENGTH) {
      segments.removeLast();
    }
    if (segments.isEmpty()) {
      return 0;
    }
    long first = segments.getLast();
    checkHeader(segmentPath(dir, first), first);
    long[] last = {first - 1};
    scan(segmentPath(dir, first), first, (sequence, update) -> last[0] = sequence);
    return last[0];
  }

  /**
   * Deletes the segment files of the log in {@code dir} whose every record is at or below {@code
   * through} (folded into every snapshot that may still be served), never the newest one, oldest
   * first. A server appending meanwhile is not disturbed: it only ever reads segments holding
   * records after the snapshot it serves. Returns how many were deleted.
   */
  public static int prune(Path dir, long through) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    List<Long> segments = listSegments(dir);
    int deleted = 0;
    for (int s = 0; s < segments.size() - 1 && segments.get(s + 1) - 1 <= through; s++) {
      Files.delete(segmentPath(dir, segments.get(s)));
      deleted++;
    }
    return deleted;
  }

  /**
   * Reads the records after {@code after} from {@code segments}; every segment but the newest must
   * end exactly where the next begins, and the newest at {@code newestEnd} (-1: wherever its whole
   * records end). Returns the last sequence seen.
   */
  private static long readSegments(
      Path dir, List<Long> segments, long after, Replay into, long newestEnd) throws IOException {
    if (!segments.isEmpty() && segments.getFirst() > after + 1) {
      throw new CorruptFileException(
          segmentPath(dir, segments.getFirst()),
          "records "
              + (after + 1)
              + " to "
              + (segments.getFirst() - 1)
              + " are no longer in the log (pruned after later snapshots folded them):"
              + " the snapshot is older than the log reaches; serve a newer version");
    }
    long last = 0;
    for (int s = 0; s < segments.size(); s++) {
      long first = segments.get(s);
      boolean newest = s == segments.size() - 1;
      if (!newest && segments.get(s + 1) - 1 <= after) {
        continue;
      }
      Path path = segmentPath(dir, first);
      long[] seen = {first - 1};
      Scan scan =
          scan(
              path,
              first,
              (sequence, update) -> {
                seen[0] = sequence;
                if (sequence > after) {
                  into.accept(sequence, update);
                }
              });
      long expectedEnd = !newest ? segments.get(s + 1) - 1 : newestEnd;
      boolean whole =
          newest && newestEnd < 0 || scan.validBytes == scan.fileBytes && seen[0] == expectedEnd;
      if (!whole) {
        throw new CorruptFileException(
            path,
            "records end at sequence "
                + seen[0]
                + " (offset "
                + scan.validBytes
                + " of "
                + scan.fileBytes
                + "), expected "
                + expectedEnd
                + (scan.problem == null ? "" : ": " + scan.problem));
      }
      last = seen[0];
    }
    return last;
  }

  @Override
  public void close() throws IOException {
    try {
      if (failure == null && pending.position() > 0) {
        sync();
      }
    } finally {
      active.close();
    }
  }

  // Files

  static Path segmentPath(Path dir, long firstSequence) {
    return dir.resolve(String.format("wal-%016d.log", firstSequence));
  }

  private static List<Long> listSegments(Path dir) throws IOException {
    List<Long> firsts = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (m.matches()) {
          firsts.add(Long.parseLong(m.group(1)));
        }
      }
    }
    firsts.sort(null);
    return firsts;
  }

  private static FileChannel createSegment(Path dir, FileOps ops, long first) throws IOException {
    Path path = segmentPath(dir, first);
    FileChannel channel =
        FileChannel.open(
            path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
      header.putInt(MAGIC).putInt(VERSION).putLong(first).putLong(0);
      CRC32C crc = new CRC32C();
      crc.update(header.array(), 0, 24);
      header.putInt((int) crc.getValue()).putInt(0).flip();
      while (header.hasRemaining()) {
        ops.write(channel, header);
      }
      ops.force(channel, true);
      ops.fsyncDirectory(dir);
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static void checkHeader(Path path, long first) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      while (header.hasRemaining() && channel.read(header) >= 0) {
        // read the whole header
      }
    }
    if (header.hasRemaining()) {
      throw new CorruptFileException(path, "truncated header: " + header.position() + " bytes");
    }
    int magic = header.getInt(0);
    if (magic != MAGIC) {
      throw new CorruptFileException(
          path, String.format("not a Magpie log segment: magic 0x%08X", magic));
    }
    int version = header.getInt(4);
    if (version != VERSION) {
      throw new CorruptFileException(
          path, "log format version " + version + ", this build reads " + VERSION);
    }
    CRC32C crc = new CRC32C();
    crc.update(header.array(), 0, 24);
    if (header.getInt(24) != (int) crc.getValue()) {
      throw new CorruptFileException(path, "header checksum mismatch");
    }
    if (header.getLong(8) != first) {
      throw new CorruptFileException(
          path, "header says first sequence " + header.getLong(8) + ", the name " + first);
    }
  }

  /**
   * How far a segment's records are whole: where they end, the file's length, and why they stop
   * early.
   */
  private record Scan(long validBytes, long fileBytes, String problem) {}

  /**
   * Reads a segment's records in order until its end or the first one that is not whole (short,
   * checksum mismatch, out of sequence). A whole record that does not decode is corruption, not a
   * torn write, and throws.
   */
  private static Scan scan(Path path, long first, Replay into) throws IOException {
    try (Arena arena = Arena.ofConfined();
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = channel.size();
      MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
      long at = HEADER_LENGTH;
      long expected = first;
      CRC32C crc = new CRC32C();
      while (at < size) {
        if (size - at < RECORD_HEADER) {
          return new Scan(at, size, "a record header cut short");
        }
        int length = file.get(INT, at);
        if (length < RECORD_HEADER - CHECKED_FROM
            || length > RECORD_HEADER - CHECKED_FROM + MAX_PAYLOAD
            || at + CHECKED_FROM + length > size) {
          return new Scan(at, size, "record length " + length + " at offset " + at);
        }
        crc.reset();
        crc.update(file.asSlice(at + CHECKED_FROM, length).asByteBuffer());
        if ((int) crc.getValue() != file.get(INT, at + 4)) {
          return new Scan(at, size, "checksum mismatch at offset " + at);
        }
        long sequence = file.get(LONG, at + CHECKED_FROM);
        if (sequence != expected) {
          return new Scan(
              at, size, "sequence " + sequence + " at offset " + at + ", expected " + expected);
        }
        byte type = file.get(ValueLayout.JAVA_BYTE, at + CHECKED_FROM + 8);
        ByteBuffer payload =
            file.asSlice(at + RECORD_HEADER, length - (RECORD_HEADER - CHECKED_FROM))
                .asByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
        LiveUpdate update;
        try {
          update = LiveUpdateCodec.decode(type, payload);
        } catch (IllegalArgumentException e) {
          throw new CorruptFileException(
              path, "record " + sequence + " at offset " + at + ": " + e.getMessage());
        }
        into.accept(sequence, update);
        expected++;
        at += CHECKED_FROM + length;
      }
      return new Scan(at, size, null);
    }
  }
}
