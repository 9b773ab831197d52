package dev.magpie.engine.store;

import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.io.MappedFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * A memory-mapped column of fixed-width values indexed by ordinal: prices, stock, dictionary
 * ordinals, flags, or whole vectors (arity = dimension). Reads go straight to the mapping; nothing
 * is copied onto the heap.
 *
 * <pre>
 *  body (after the 64-byte header)
 *  +---------------------------------------------------------------+ 0
 *  | row 0: arity elements of width bytes, little-endian            |
 *  | row 1                                                          |
 *  | ...                                                            |
 *  | row rows-1                                                     |
 *  | zero padding to a multiple of 8                                |
 *  +---------------------------------------------------------------+
 *  params: [0] rows  [1] arity  [2] element width in bytes  [3] 0
 *  kind:   col.i64 | col.i32 | col.i16 | col.i8 | col.f32    version: 1
 * </pre>
 */
public final class FixedWidthColumn {
  /** Format version of column files. */
  public static final int VERSION = 1;

  private static final ValueLayout.OfLong LONG = (ValueLayout.OfLong) ColumnType.INT64.layout();
  private static final ValueLayout.OfInt INT = (ValueLayout.OfInt) ColumnType.INT32.layout();
  private static final ValueLayout.OfShort SHORT = (ValueLayout.OfShort) ColumnType.INT16.layout();
  private static final ValueLayout.OfByte BYTE = (ValueLayout.OfByte) ColumnType.INT8.layout();
  private static final ValueLayout.OfFloat FLOAT =
      (ValueLayout.OfFloat) ColumnType.FLOAT32.layout();

  private final MappedFile file;
  private final MemorySegment data;
  private final ColumnType type;
  private final long rows;
  private final int arity;
  private final long stride;

  private FixedWidthColumn(MappedFile file, ColumnType type, long rows, int arity) {
    this.file = file;
    this.type = type;
    this.rows = rows;
    this.arity = arity;
    this.stride = (long) arity * type.width();
    this.data = file.body().asSlice(0, rows * stride);
  }

  /**
   * Maps and verifies a column.
   *
   * @param expectedArity the arity the caller reads, or 0 to accept any
   */
  public static FixedWidthColumn open(
      Path path, Arena arena, ColumnType type, int expectedArity, boolean verifyChecksum)
      throws IOException {
    return of(
        MappedFile.open(path, arena, type.kind(), VERSION, verifyChecksum), type, expectedArity);
  }

  private static FixedWidthColumn of(MappedFile file, ColumnType type, int expectedArity)
      throws CorruptFileException {
    long rows = file.param(0);
    long arity = file.param(1);
    long width = file.param(2);
    file.require(width == type.width(), "element width " + width + ", expected " + type.width());
    file.require(arity >= 1 && arity <= Integer.MAX_VALUE, "arity " + arity + " out of range");
    file.require(
        expectedArity == 0 || arity == expectedArity,
        "arity " + arity + ", expected " + expectedArity);
    file.require(
        rows >= 0 && rows <= file.body().byteSize() / (arity * width),
        "rows "
            + rows
            + " of "
            + (arity * width)
            + " bytes exceed a body of "
            + file.body().byteSize()
            + " bytes");
    return new FixedWidthColumn(file, type, rows, (int) arity);
  }

  /** Number of rows. */
  public long rows() {
    return rows;
  }

  /** Elements per row. */
  public int arity() {
    return arity;
  }

  /** The element type. */
  public ColumnType type() {
    return type;
  }

  /** The underlying verified file. */
  public MappedFile file() {
    return file;
  }

  /** The value at {@code row} of an {@link ColumnType#INT64} column. */
  public long getLong(long row) {
    check(row);
    return data.getAtIndex(LONG, row);
  }

  /** The value at {@code row} of an {@link ColumnType#INT32} column. */
  public int getInt(long row) {
    check(row);
    return data.getAtIndex(INT, row);
  }

  /** The value at {@code row} of an {@link ColumnType#INT16} column. */
  public short getShort(long row) {
    check(row);
    return data.getAtIndex(SHORT, row);
  }

  /** The value at {@code row} of an {@link ColumnType#INT8} column. */
  public byte getByte(long row) {
    check(row);
    return data.getAtIndex(BYTE, row);
  }

  /** The value at {@code row} of a scalar {@link ColumnType#FLOAT32} column. */
  public float getFloat(long row) {
    check(row);
    return data.getAtIndex(FLOAT, row);
  }

  /** Element {@code index} of {@code row} in a {@link ColumnType#FLOAT32} column. */
  public float getFloat(long row, int index) {
    check(row);
    return data.get(FLOAT, row * stride + (long) index * Float.BYTES);
  }

  /**
   * Copies the elements of {@code row} of a {@link ColumnType#FLOAT32} column into {@code dest}.
   */
  public void copyFloats(long row, float[] dest) {
    check(row);
    MemorySegment.copy(data, FLOAT, row * stride, dest, 0, arity);
  }

  /** A zero-copy view of {@code row}'s bytes. */
  public MemorySegment row(long row) {
    check(row);
    return data.asSlice(row * stride, stride);
  }

  /** A zero-copy view of every row's bytes, for scans. */
  public MemorySegment data() {
    return data;
  }

  private void check(long row) {
    if (BoundsChecks.ENABLED) {
      BoundsChecks.checkIndex(row, rows, "row");
    }
  }
}
