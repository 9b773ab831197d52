package dev.magpie.engine.store;

import dev.magpie.engine.io.MappedFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A memory-mapped column of variable-length UTF-8 values indexed by ordinal: external ids, titles,
 * descriptions, dictionary entries. Values are read straight from the mapping; {@link #get(long)}
 * decodes one into a {@link String}, {@link #equalsUtf8} compares without decoding.
 *
 * <pre>
 *  body (after the 64-byte header)
 *  +---------------------------------------------------------------+ 0
 *  | UTF-8 bytes of value 0, value 1, ... value count-1, unseparated |
 *  | zero padding to a multiple of 8                                |
 *  +---------------------------------------------------------------+ offsetsStart
 *  | offsets: (count + 1) x int64; value i = bytes [off[i], off[i+1]) |
 *  +---------------------------------------------------------------+
 *  params: [0] count  [1] data length in bytes  [2] offsetsStart  [3] 0
 *  kind:   str        version: 1
 * </pre>
 */
public final class StringColumn {
  /** File kind of string columns. */
  public static final String KIND = "str";

  /** Format version of string columns. */
  public static final int VERSION = 1;

  private static final ValueLayout.OfLong LONG = (ValueLayout.OfLong) ColumnType.INT64.layout();

  private final MappedFile file;
  private final MemorySegment data;
  private final MemorySegment offsets;
  private final long count;

  private StringColumn(MappedFile file, long count, long dataLength, long offsetsStart) {
    this.file = file;
    this.count = count;
    this.data = file.body().asSlice(0, dataLength);
    this.offsets = file.body().asSlice(offsetsStart, (count + 1) * Long.BYTES);
  }

  /** Maps and verifies a string column, including that its offsets are ordered and in range. */
  public static StringColumn open(Path path, Arena arena, boolean verifyChecksum)
      throws IOException {
    MappedFile file = MappedFile.open(path, arena, KIND, VERSION, verifyChecksum);
    long count = file.param(0);
    long dataLength = file.param(1);
    long offsetsStart = file.param(2);
    long body = file.body().byteSize();
    file.require(
        count >= 0 && dataLength >= 0, "negative count " + count + " or length " + dataLength);
    file.require(
        offsetsStart >= dataLength
            && offsetsStart % Long.BYTES == 0
            && count < body / Long.BYTES
            && offsetsStart + (count + 1) * Long.BYTES <= body,
        "offsets at "
            + offsetsStart
            + " for "
            + count
            + " values do not fit a body of "
            + body
            + " bytes");
    StringColumn column = new StringColumn(file, count, dataLength, offsetsStart);
    column.checkOffsets(dataLength);
    return column;
  }

  private void checkOffsets(long dataLength) throws IOException {
    long previous = offsets.getAtIndex(LONG, 0);
    file.require(previous == 0, "first offset " + previous + ", expected 0");
    for (long i = 1; i <= count; i++) {
      long next = offsets.getAtIndex(LONG, i);
      if (next < previous) {
        file.require(
            false,
            "offset " + i + " = " + next + " is before offset " + (i - 1) + " = " + previous);
      }
      previous = next;
    }
    file.require(previous == dataLength, "last offset " + previous + ", data length " + dataLength);
  }

  /** Number of values. */
  public long size() {
    return count;
  }

  /** The underlying verified file. */
  public MappedFile file() {
    return file;
  }

  /** Decodes value {@code index}. */
  public String get(long index) {
    if (BoundsChecks.ENABLED) {
      BoundsChecks.checkIndex(index, count, "string");
    }
    long start = offsets.getAtIndex(LONG, index);
    byte[] utf8 = new byte[Math.toIntExact(offsets.getAtIndex(LONG, index + 1) - start)];
    MemorySegment.copy(data, ValueLayout.JAVA_BYTE, start, utf8, 0, utf8.length);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  /** A zero-copy view of value {@code index}'s UTF-8 bytes. */
  public MemorySegment bytes(long index) {
    if (BoundsChecks.ENABLED) {
      BoundsChecks.checkIndex(index, count, "string");
    }
    long start = offsets.getAtIndex(LONG, index);
    long end = offsets.getAtIndex(LONG, index + 1);
    return data.asSlice(start, end - start);
  }

  /** Offset of value {@code index} within {@link #data()}. */
  public long dataOffset(long index) {
    if (BoundsChecks.ENABLED) {
      BoundsChecks.checkIndex(index, count, "string");
    }
    return offsets.getAtIndex(LONG, index);
  }

  /** Every value's bytes, back to back; value i starts at {@link #dataOffset(long)}. */
  public MemorySegment data() {
    return data;
  }

  /** Length in bytes of value {@code index}. */
  public long byteLength(long index) {
    if (BoundsChecks.ENABLED) {
      BoundsChecks.checkIndex(index, count, "string");
    }
    return offsets.getAtIndex(LONG, index + 1) - offsets.getAtIndex(LONG, index);
  }

  /** Whether value {@code index} equals {@code utf8[offset, offset + length)}, byte for byte. */
  public boolean equalsUtf8(long index, byte[] utf8, int offset, int length) {
    if (BoundsChecks.ENABLED) {
      BoundsChecks.checkIndex(index, count, "string");
    }
    long start = offsets.getAtIndex(LONG, index);
    long end = offsets.getAtIndex(LONG, index + 1);
    if (end - start != length) {
      return false;
    }
    return MemorySegment.mismatch(
            data, start, end, MemorySegment.ofArray(utf8), offset, (long) offset + length)
        == -1;
  }
}
