package dev.magpie.engine.store;

import dev.magpie.engine.io.ChecksummedFileWriter;
import dev.magpie.engine.io.ChecksummedFileWriter.WrittenFile;
import dev.magpie.engine.io.MappedFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A memory-mapped hash table from the values of a {@link StringColumn} to their ordinals: external
 * item id to item ordinal, brand name to brand ordinal. Open addressing with linear probing at a load
 * factor of at most one half; each slot keeps 32 bits of the key's hash so that a probe rarely
 * touches the key column, and every hit is confirmed byte for byte against it, so even a damaged
 * table can miss a key but never return a wrong ordinal.
 *
 * <pre>
 *  body (after the 64-byte header)
 *  +---------------------------------------------------------------+ 0
 *  | slot 0: int32 ordinal + 1 (0 = empty) | int32 hash >>> 32      |
 *  | slot 1                                                         |
 *  | ... capacity slots of 8 bytes; a key starts at hash & (capacity - 1) |
 *  +---------------------------------------------------------------+
 *  params: [0] capacity (a power of two)  [1] count  [2] hash seed  [3] 0
 *  kind:   strhash      version: 1        hash: {@link Hashing#hash64}
 * </pre>
 */
public final class StringHashIndex {
  /** File kind of string hash indexes. */
  public static final String KIND = "strhash";

  /** Format version of string hash indexes. */
  public static final int VERSION = 1;

  /** Returned by lookups for an absent key. */
  public static final int ABSENT = -1;

  private static final ValueLayout.OfLong SLOT = (ValueLayout.OfLong) ColumnType.INT64.layout();
  private static final int MAX_KEYS = 1 << 29;

  private final MemorySegment slots;
  private final StringColumn keys;
  private final long seed;
  private final int mask;

  private StringHashIndex(MemorySegment slots, StringColumn keys, long seed, int capacity) {
    this.slots = slots;
    this.keys = keys;
    this.seed = seed;
    this.mask = capacity - 1;
  }

  /**
   * Builds the index of every value in {@code keys} and writes it.
   *
   * @throws IllegalArgumentException if two values are equal, naming the value and both ordinals
   */
  public static WrittenFile write(Path path, StringColumn keys, long seed) throws IOException {
    long count = keys.size();
    if (count > MAX_KEYS) {
      throw new IllegalArgumentException(
          "a hash index holds at most " + MAX_KEYS + " keys, got " + count + ": shard the catalog");
    }
    int capacity = capacityFor((int) count);
    long[] table = new long[capacity];
    int mask = capacity - 1;
    for (int ordinal = 0; ordinal < count; ordinal++) {
      byte[] key = keys.bytes(ordinal).toArray(ValueLayout.JAVA_BYTE);
      long hash = Hashing.hash64(key, 0, key.length, seed);
      int slot = (int) hash & mask;
      while (table[slot] != 0) {
        int other = (int) table[slot] - 1;
        if ((int) (table[slot] >>> 32) == (int) (hash >>> 32)
            && keys.equalsUtf8(other, key, 0, key.length)) {
          throw new IllegalArgumentException(
              "duplicate key '" + new String(key, StandardCharsets.UTF_8) + "' at ordinals " + other
                  + " and " + ordinal);
        }
        slot = (slot + 1) & mask;
      }
      table[slot] = (hash & 0xFFFF_FFFF_0000_0000L) | (ordinal + 1L);
    }
    try (ChecksummedFileWriter out = ChecksummedFileWriter.create(path, KIND, VERSION)) {
      for (long slot : table) {
        out.writeLong(slot);
      }
      return out.finish(capacity, count, seed);
    }
  }

  /** Maps and verifies the index of {@code keys}. */
  public static StringHashIndex open(Path path, Arena arena, StringColumn keys, boolean verifyChecksum)
      throws IOException {
    MappedFile file = MappedFile.open(path, arena, KIND, VERSION, verifyChecksum);
    long capacity = file.param(0);
    long count = file.param(1);
    long seed = file.param(2);
    file.require(
        count == keys.size(), "indexes " + count + " keys, the key column holds " + keys.size());
    file.require(
        capacity == capacityFor((int) Math.min(count, MAX_KEYS)),
        "capacity " + capacity + " does not fit " + count + " keys");
    file.require(
        capacity * Long.BYTES <= file.body().byteSize(),
        "capacity " + capacity + " exceeds a body of " + file.body().byteSize() + " bytes");
    return new StringHashIndex(
        file.body().asSlice(0, capacity * Long.BYTES), keys, seed, (int) capacity);
  }

  /** Smallest power of two at least twice {@code count} (and at least 2). */
  static int capacityFor(int count) {
    return Math.max(2, Integer.highestOneBit(Math.max(1, count * 2 - 1)) << 1);
  }

  /** The ordinal of {@code key}, or {@link #ABSENT}. */
  public int ordinalOf(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    return ordinalOf(bytes, 0, bytes.length);
  }

  /** The ordinal of the UTF-8 key {@code utf8[offset, offset + length)}, or {@link #ABSENT}. */
  public int ordinalOf(byte[] utf8, int offset, int length) {
    long hash = Hashing.hash64(utf8, offset, length, seed);
    int fingerprint = (int) (hash >>> 32);
    int slot = (int) hash & mask;
    for (int probes = 0; probes <= mask; probes++) {
      long entry = slots.getAtIndex(SLOT, slot);
      if (entry == 0) {
        return ABSENT;
      }
      int ordinal = (int) entry - 1;
      if ((int) (entry >>> 32) == fingerprint
          && ordinal >= 0
          && ordinal < keys.size()
          && keys.equalsUtf8(ordinal, utf8, offset, length)) {
        return ordinal;
      }
      slot = (slot + 1) & mask;
    }
    return ABSENT;
  }
}
