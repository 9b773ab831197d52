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
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

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
 *
 * A shard keeps the histories of the shoppers it is home to ({@code shard = hash(user) mod S}) in
 * {@value #REFS_PATH}, the same layout but for the item column: {@code int64[events]}, each item
 * named by its shard and ordinal there ({@code shard << 32 | ordinal}), since a shopper's items
 * live on every shard; its last parameter is the shard count.
 */
public final class UserHistories {
  /** User ids, one string per user ordinal. */
  public static final String IDS = "behaviour/users.str";

  /** Hash index over {@link #IDS}. */
  public static final String ID_INDEX = "behaviour/users.idx";

  /** The events file. */
  public static final String PATH = "behaviour/histories.bin";

  /** The events file of a shard, items by shard and ordinal. */
  public static final String REFS_PATH = "behaviour/histories-refs.bin";

  /** File kind in the header. */
  public static final String KIND = "histories";

  /** File kind in the header of {@link #REFS_PATH}. */
  public static final String REFS_KIND = "histories-refs";

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
  private final boolean refs;

  private UserHistories(
      StringColumn ids,
      StringHashIndex index,
      MemorySegment start,
      MemorySegment items,
      MemorySegment times,
      MemorySegment types,
      boolean refs) {
    this.refs = refs;
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
    return write(file, KIND, log, limit, u -> true, null, log.itemCount());
  }

  /**
   * Writes, for a shard, the latest {@code limit} events of each user of {@code log} that {@code
   * users} accepts (in the log's order; the caller writes the ids column with the same users), each
   * item as {@code refOf} names it ({@value #REFS_PATH}).
   *
   * @param shards the catalog's shard count, which every ref's shard is below
   */
  public static ChecksummedFileWriter.WrittenFile writeRefs(
      Path file,
      Interactions log,
      int limit,
      IntPredicate users,
      IntToLongFunction refOf,
      int shards)
      throws IOException {
    return write(file, REFS_KIND, log, limit, users, refOf, shards);
  }

  private static ChecksummedFileWriter.WrittenFile write(
      Path file,
      String kind,
      Interactions log,
      int limit,
      IntPredicate users,
      IntToLongFunction refOf,
      long lastParameter)
      throws IOException {
    if (limit < 1) {
      throw new IllegalArgumentException("history limit must be at least 1, got " + limit);
    }
    Files.createDirectories(file.getParent());
    IntArrayList kept = new IntArrayList();
    for (int u = 0; u < log.users(); u++) {
      if (users.test(u)) {
        kept.add(u);
      }
    }
    int[] from = new int[log.users()];
    long events = 0;
    for (int u : kept.toArray()) {
      from[u] = Math.max(log.start(u), log.end(u) - limit);
      events += log.end(u) - from[u];
    }
    try (ChecksummedFileWriter out = ChecksummedFileWriter.create(file, kind, VERSION)) {
      int at = 0;
      out.writeInt(0);
      for (int u : kept.toArray()) {
        at += log.end(u) - from[u];
        out.writeInt(at);
      }
      out.alignTo(8);
      for (int u : kept.toArray()) {
        for (int e = from[u]; e < log.end(u); e++) {
          if (refOf == null) {
            out.writeInt(log.item(e));
          } else {
            out.writeLong(refOf.applyAsLong(log.item(e)));
          }
        }
      }
      out.alignTo(8);
      for (int u : kept.toArray()) {
        for (int e = from[u]; e < log.end(u); e++) {
          out.writeLong(log.time(e));
        }
      }
      for (int u : kept.toArray()) {
        for (int e = from[u]; e < log.end(u); e++) {
          out.writeByte((byte) log.type(e).ordinal());
        }
      }
      out.alignTo(8);
      return out.finish(kept.size(), events, limit, lastParameter);
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
    return open(dir, arena, verifyChecksum, false, itemCount);
  }

  /**
   * Maps a shard's histories ({@value #REFS_PATH}), checking that they agree with the id column and
   * name only shards below {@code shards}.
   *
   * @throws CorruptFileException naming what does not match
   */
  public static UserHistories openRefs(Path dir, Arena arena, boolean verifyChecksum, int shards)
      throws IOException {
    return open(dir, arena, verifyChecksum, true, shards);
  }

  private static UserHistories open(
      Path dir, Arena arena, boolean verifyChecksum, boolean refs, int bound) throws IOException {
    StringColumn ids = StringColumn.open(dir.resolve(IDS), arena, verifyChecksum);
    StringHashIndex index = StringHashIndex.open(dir.resolve(ID_INDEX), arena, ids, verifyChecksum);
    Path file = dir.resolve(refs ? REFS_PATH : PATH);
    MappedFile mapped =
        MappedFile.open(file, arena, refs ? REFS_KIND : KIND, VERSION, verifyChecksum);
    long users = mapped.param(0);
    long events = mapped.param(1);
    mapped.require(
        users == ids.size(), "histories for " + users + " users, the id column has " + ids.size());
    mapped.require(
        mapped.param(3) == bound,
        "histories over "
            + mapped.param(3)
            + (refs ? " shards, the catalog has " : " items, the snapshot has ")
            + bound);
    mapped.require(events >= 0 && events <= Integer.MAX_VALUE, "event count " + events);
    MemorySegment body = mapped.body();
    try {
      long[] at = {0};
      MemorySegment start = BehaviourFile.section(body, at, (users + 1) * 4);
      MemorySegment items = BehaviourFile.section(body, at, events * (refs ? 8 : 4));
      MemorySegment times = BehaviourFile.section(body, at, events * 8);
      MemorySegment types = BehaviourFile.section(body, at, events);
      mapped.require(
          at[0] == body.byteSize(),
          "body has " + body.byteSize() + " bytes, the sections " + at[0]);
      UserHistories histories = new UserHistories(ids, index, start, items, times, types, refs);
      histories.check(file, events, bound);
      return histories;
    } catch (IndexOutOfBoundsException e) {
      throw new CorruptFileException(file, e.getMessage());
    }
  }

  /** Checks the rows, each item below {@code bound} (items, or for refs the shard count). */
  private void check(Path file, long events, int bound) throws CorruptFileException {
    if (start(0) != 0 || start.getAtIndex(INT, users) != events) {
      throw new CorruptFileException(file, "rows must start at 0 and end at " + events);
    }
    for (int u = 0; u < users; u++) {
      if (end(u) < start(u)) {
        throw new CorruptFileException(file, "user " + u + "'s row ends before it starts");
      }
    }
    for (int e = 0; e < events; e++) {
      long item = refs ? ref(e) : item(e);
      long bounded = refs ? item >>> 32 : item;
      int type = types.get(ValueLayout.JAVA_BYTE, e);
      if (item < 0 || bounded >= bound || type < 0 || type >= TYPES.length) {
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

  /** Item ordinal of event {@code e}, in histories that name items by ordinal. */
  public int item(int e) {
    if (refs) {
      throw new IllegalStateException("a shard's histories name items by shard and ordinal");
    }
    return items.getAtIndex(INT, e);
  }

  /**
   * Event {@code e}'s item as shard {@code << 32 |} ordinal: a shard's histories store it so; in
   * histories by ordinal (a single node, shard 0) it is the ordinal.
   */
  public long ref(int e) {
    return refs ? items.getAtIndex(LONG, e) : items.getAtIndex(INT, e);
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
