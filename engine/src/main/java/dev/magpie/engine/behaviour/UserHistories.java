package dev.magpie.engine.behaviour;

import dev.magpie.engine.io.ChecksummedFileWriter;
import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.io.MappedFile;
import dev.magpie.engine.store.StringColumn;
import dev.magpie.engine.store.StringHashIndex;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Each user's latest events from the log a snapshot was built from, mapped off-heap: what user
 * profiles start from. User ids are a string column with a hash index ({@value #IDS}, {@value
 * #ID_INDEX}; user ordinal = position); the events are compressed rows in {@value #PATH}, in the
 * common envelope, every section on an 8-byte boundary:
 *
 * <pre>
 *  section   type                 meaning
 *  +---------------------------------------------------------------------+
 *  | start   int32[users + 1]     start[u] = index of u's first event;     |
 *  |                              start[users] = events                   |
 *  | item    int32[events]        item ordinal                            |
 *  | time    int64[events]        epoch seconds, oldest first within a user|
 *  | type    int8[events]         EventType ordinal                       |
 *  +---------------------------------------------------------------------+
 *  parameters: users, events, limit (latest events kept per user), items
 * </pre>
 */
public final class UserHistories {
  /** User ids, one string per user ordinal. */
  public static final String IDS = "behaviour/users.str";

  /** Hash index over {@link #IDS}. */
  public static final String ID_INDEX = "behaviour/users.idx";

  /** The events file. */
  public static final String PATH = "behaviour/histories.bin";

  /** File kind in the header. */
  public static final String KIND = "histories";

  /** Format version. */
  public static final int VERSION = 1;

  /** Latest events kept per user by default. */
  public static final int DEFAULT_LIMIT = 100;

  private static final ValueLayout.OfInt INT =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong LONG =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private static final EventType[] TYPES = EventType.values();

  private final StringColumn ids;
  private final StringHashIndex index;
  private final MemorySegment start;
  private final MemorySegment items;
  private final MemorySegment times;
  private final MemorySegment types;
  private final int users;

  private UserHistories(
      StringColumn ids,
      StringHashIndex index,
      MemorySegment start,
      MemorySegment items,
      MemorySegment times,
      MemorySegment types) {
    this.ids = ids;
    this.index = index;
    this.start = start;
    this.items = items;
    this.times = times;
    this.types = types;
    this.users = (int) (start.byteSize() / Integer.BYTES) - 1;
  }

  /**
   * Writes the latest {@code limit} events of each user of {@code log} to {@code file} (users in
   * the log's order, so that the ids column the caller writes from {@link Interactions#userId}
   * lines up).
   */
  public static ChecksummedFileWriter.WrittenFile write(Path file, Interactions log, int limit)
      throws IOException {
    if (limit < 1) {
      throw new IllegalArgumentException("history limit must be at least 1, got " + limit);
    }
    Files.createDirectories(file.getParent());
    int users = log.users();
    int[] from = new int[users];
    long events = 0;
    for (int u = 0; u < users; u++) {
      from[u] = Math.max(log.start(u), log.end(u) - limit);
      events += log.end(u) - from[u];
    }
    try (ChecksummedFileWriter out = ChecksummedFileWriter.create(file, KIND, VERSION)) {
      int at = 0;
      out.writeInt(0);
      for (int u = 0; u < users; u++) {
        at += log.end(u) - from[u];
        out.writeInt(at);
      }
      out.alignTo(8);
      for (int u = 0; u < users; u++) {
        for (int e = from[u]; e < log.end(u); e++) {
          out.writeInt(log.item(e));
        }
      }
      out.alignTo(8);
      for (int u = 0; u < users; u++) {
        for (int e = from[u]; e < log.end(u); e++) {
          out.writeLong(log.time(e));
        }
      }
      for (int u = 0; u < users; u++) {
        for (int e = from[u]; e < log.end(u); e++) {
          out.writeByte((byte) log.type(e).ordinal());
        }
      }
      out.alignTo(8);
      return out.finish(users, events, limit, log.itemCount());
    }
  }

  /**
   * Maps the histories of the snapshot in {@code dir}, checking that they agree with the id column
   * and refer only to its {@code itemCount} items.
   *
   * @throws CorruptFileException naming what does not match
   */
  public static UserHistories open(Path dir, Arena arena, boolean verifyChecksum, int itemCount)
      throws IOException {
    StringColumn ids = StringColumn.open(dir.resolve(IDS), arena, verifyChecksum);
    StringHashIndex index = StringHashIndex.open(dir.resolve(ID_INDEX), arena, ids, verifyChecksum);
    Path file = dir.resolve(PATH);
    MappedFile mapped = MappedFile.open(file, arena, KIND, VERSION, verifyChecksum);
    long users = mapped.param(0);
    long events = mapped.param(1);
    mapped.require(
        users == ids.size(), "histories for " + users + " users, the id column has " + ids.size());
    mapped.require(
        mapped.param(3) == itemCount,
        "histories over " + mapped.param(3) + " items, the snapshot has " + itemCount);
    mapped.require(events >= 0 && events <= Integer.MAX_VALUE, "event count " + events);
    MemorySegment body = mapped.body();
    try {
      long[] at = {0};
      MemorySegment start = BehaviourFile.section(body, at, (users + 1) * 4);
      MemorySegment items = BehaviourFile.section(body, at, events * 4);
      MemorySegment times = BehaviourFile.section(body, at, events * 8);
      MemorySegment types = BehaviourFile.section(body, at, events);
      mapped.require(
          at[0] == body.byteSize(),
          "body has " + body.byteSize() + " bytes, the sections " + at[0]);
      UserHistories histories = new UserHistories(ids, index, start, items, times, types);
      histories.check(file, events, itemCount);
      return histories;
    } catch (IndexOutOfBoundsException e) {
      throw new CorruptFileException(file, e.getMessage());
    }
  }

  private void check(Path file, long events, int itemCount) throws CorruptFileException {
    if (start(0) != 0 || start.getAtIndex(INT, users) != events) {
      throw new CorruptFileException(file, "rows must start at 0 and end at " + events);
    }
    for (int u = 0; u < users; u++) {
      if (end(u) < start(u)) {
        throw new CorruptFileException(file, "user " + u + "'s row ends before it starts");
      }
    }
    for (int e = 0; e < events; e++) {
      int item = item(e);
      int type = types.get(ValueLayout.JAVA_BYTE, e);
      if (item < 0 || item >= itemCount || type < 0 || type >= TYPES.length) {
        throw new CorruptFileException(file, "event " + e + ": item " + item + ", type " + type);
      }
    }
  }

  /** Number of users. */
  public int users() {
    return users;
  }

  /** The ordinal of the user with id {@code userId}, or -1 when the log never saw them. */
  public int ordinalOf(String userId) {
    return index.ordinalOf(userId);
  }

  /** The id of user {@code u}. */
  public String userId(int u) {
    return ids.get(u);
  }

  /** Index of user {@code u}'s first (oldest) kept event. */
  public int start(int u) {
    return start.getAtIndex(INT, u);
  }

  /** Index after user {@code u}'s latest event. */
  public int end(int u) {
    return start.getAtIndex(INT, u + 1L);
  }

  /** Item ordinal of event {@code e}. */
  public int item(int e) {
    return items.getAtIndex(INT, e);
  }

  /** Time of event {@code e}, epoch seconds. */
  public long time(int e) {
    return times.getAtIndex(LONG, e);
  }

  /** Type of event {@code e}. */
  public EventType type(int e) {
    return TYPES[types.get(ValueLayout.JAVA_BYTE, e)];
  }
}
