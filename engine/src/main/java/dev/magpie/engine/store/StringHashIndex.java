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
 * item id to item ordinal, brand name to brand ordinal. Open addressing with linear probing at a
 * load factor of at most three quarters. Each slot carries the key's length, 24 bits of its hash
 * and the position of its bytes in the key column, so a lookup touches one slot (a miss, almost
 * always) or one slot and the key's bytes (a hit), never the column's offsets: two dependent memory
 * accesses instead of three. Every hit is confirmed byte for byte, so even a damaged table can miss
 * a key but never return a wrong ordinal.
 *
 * <pre>
 *  body (after the 64-byte header): capacity slots of 16 bytes; a key starts at hash &amp; (capacity - 1)
 *  +-----------------------------------------------------------------------------+
 *  | word 0, int64: bits  0..31 ordinal + 1 (0 = empty slot)                      |
 *  |                bits 32..47 key length in bytes (keys are at most 65535)      |
 *  |                bits 48..63 hash bits 48..63                                  |
 *  | word 1, int64: bits  0..39 offset of the key's bytes in the key column's data |
 *  |                bits 40..63 hash bits 24..47                                  |
 *  +-----------------------------------------------------------------------------+
 *  params: [0] capacity (a power of two)  [1] count  [2] hash seed  [3] 0
 *  kind:   strhash      version: 2        hash: {@link Hashing#hash64}
 * </pre>
 */
public final class StringHashIndex {
  /** File kind of string hash indexes. */
  public static final String KIND = "strhash";

  /** Format version of string hash indexes. */
  public static final int VERSION = 2;

  /** Returned by lookups for an absent key. */
  public static final int ABSENT = -1;

  private static final ValueLayout.OfLong WORD = (ValueLayout.OfLong) ColumnType.INT64.layout();
  private static final int SLOT_BYTES = 16;
  private static final int MAX_KEYS = 1 << 29;
  private static final int MAX_KEY_BYTES = 0xFFFF;
  private static final long MAX_DATA_OFFSET = (1L << 40) - 1;
  private static final long TAG0_MASK = 0xFFFF_0000_0000_0000L;
  private static final long TAG1_MASK = 0xFFFF_FF00_0000_0000L;

  private final MemorySegment slots;
  private final MemorySegment keyData;
  private final long keyDataLength;
  private final int keyCount;
  private final long seed;
  private final int mask;

  private StringHashIndex(MemorySegment slots, StringColumn keys, long seed, int capacity) {
    this.slots = slots;
    this.keyData = keys.data();
    this.keyDataLength = keys.data().byteSize();
    this.keyCount = (int) keys.size();
    this.seed = seed;
    this.mask = capacity - 1;
  }

  private static long word0(long hash, int length, int ordinal) {
    return (hash & TAG0_MASK) | ((long) length << 32) | (ordinal + 1L);
  }

  private static long word1(long hash, long offset) {
    return ((hash << 16) & TAG1_MASK) | offset;
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
    if (keys.data().byteSize() > MAX_DATA_OFFSET) {
      throw new IllegalArgumentException(
          "keys of "
              + keys.data().byteSize()
              + " bytes exceed the index's 40-bit offsets: shard the catalog");
    }
    int capacity = capacityFor((int) count);
    long[] table = new long[2 * capacity];
    int mask = capacity - 1;
    for (int ordinal = 0; ordinal < count; ordinal++) {
      byte[] key = keys.bytes(ordinal).toArray(ValueLayout.JAVA_BYTE);
      if (key.length > MAX_KEY_BYTES) {
        throw new IllegalArgumentException(
            "key at ordinal " + ordinal + " is " + key.length + " bytes, at most " + MAX_KEY_BYTES);
      }
      long hash = Hashing.hash64(key, 0, key.length, seed);
      long w0 = word0(hash, key.length, ordinal);
      long w1 = word1(hash, keys.dataOffset(ordinal));
      int slot = (int) hash & mask;
      while (table[2 * slot] != 0) {
        int other = (int) table[2 * slot] - 1;
        if (sameTag(table[2 * slot], table[2 * slot + 1], w0, w1)
            && keys.equalsUtf8(other, key, 0, key.length)) {
          throw new IllegalArgumentException(
              "duplicate key '"
                  + new String(key, StandardCharsets.UTF_8)
                  + "' at ordinals "
                  + other
                  + " and "
                  + ordinal);
        }
        slot = (slot + 1) & mask;
      }
      table[2 * slot] = w0;
      table[2 * slot + 1] = w1;
    }
    try (ChecksummedFileWriter out = ChecksummedFileWriter.create(path, KIND, VERSION)) {
      for (long word : table) {
        out.writeLong(word);
      }
      return out.finish(capacity, count, seed);
    }
  }

  /** Whether two slots agree on hash tag and key length (the ordinal and offset may differ). */
  private static boolean sameTag(long a0, long a1, long b0, long b1) {
    return ((a0 ^ b0) & ~0xFFFF_FFFFL) == 0 && ((a1 ^ b1) & TAG1_MASK) == 0;
  }

  /** Maps and verifies the index of {@code keys}. */
  public static StringHashIndex open(
      Path path, Arena arena, StringColumn keys, boolean verifyChecksum) throws IOException {
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
        capacity * SLOT_BYTES <= file.body().byteSize(),
        "capacity " + capacity + " exceeds a body of " + file.body().byteSize() + " bytes");
    return new StringHashIndex(
        file.body().asSlice(0, capacity * SLOT_BYTES), keys, seed, (int) capacity);
  }

  /** Smallest power of two of which {@code count} fills at most three quarters (at least 2). */
  static int capacityFor(int count) {
    long needed = Math.max(2, ((long) count * 4 + 2) / 3);
    return (int) Long.highestOneBit(needed - 1) << 1;
  }

  /** The ordinal of {@code key}, or {@link #ABSENT}. */
  public int ordinalOf(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    return ordinalOf(bytes, 0, bytes.length);
  }

  /** The ordinal of the UTF-8 key {@code utf8[offset, offset + length)}, or {@link #ABSENT}. */
  public int ordinalOf(byte[] utf8, int offset, int length) {
    if (length > MAX_KEY_BYTES) {
      return ABSENT;
    }
    long hash = Hashing.hash64(utf8, offset, length, seed);
    long want0 = word0(hash, length, 0) & ~0xFFFF_FFFFL;
    long want1 = word1(hash, 0);
    int slot = (int) hash & mask;
    for (int probes = 0; probes <= mask; probes++) {
      long w0 = slots.getAtIndex(WORD, 2L * slot);
      if (w0 == 0) {
        return ABSENT;
      }
      if ((w0 & ~0xFFFF_FFFFL) == want0) {
        long w1 = slots.getAtIndex(WORD, 2L * slot + 1);
        if ((w1 & TAG1_MASK) == want1) {
          long start = w1 & MAX_DATA_OFFSET;
          int ordinal = (int) w0 - 1;
          if (ordinal >= 0
              && ordinal < keyCount
              && start + length <= keyDataLength
              && MemorySegment.mismatch(
                      keyData,
                      start,
                      start + length,
                      MemorySegment.ofArray(utf8),
                      offset,
                      (long) offset + length)
                  == -1) {
            return ordinal;
          }
        }
      }
      slot = (slot + 1) & mask;
    }
    return ABSENT;
  }
}
