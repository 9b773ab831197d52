package dev.magpie.engine.store;

import dev.magpie.engine.io.ChecksummedFileWriter;
import dev.magpie.engine.io.ChecksummedFileWriter.WrittenFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Streams a {@link FixedWidthColumn} to disk, one row at a time in ordinal order. Each row holds
 * {@code arity} elements of the column's type (arity 1 for scalar columns, the dimension for
 * vectors).
 */
public final class FixedWidthColumnWriter implements Closeable {
  private final ChecksummedFileWriter out;
  private final ColumnType type;
  private final int arity;
  private long rows;

  private FixedWidthColumnWriter(ChecksummedFileWriter out, ColumnType type, int arity) {
    this.out = out;
    this.type = type;
    this.arity = arity;
  }

  /** Creates a scalar column file. */
  public static FixedWidthColumnWriter create(Path path, ColumnType type) throws IOException {
    return create(path, type, 1);
  }

  /** Creates a column file with {@code arity} elements per row. */
  public static FixedWidthColumnWriter create(Path path, ColumnType type, int arity)
      throws IOException {
    if (arity < 1) {
      throw new IllegalArgumentException("arity must be at least 1, got " + arity);
    }
    return new FixedWidthColumnWriter(
        ChecksummedFileWriter.create(path, type.kind(), FixedWidthColumn.VERSION), type, arity);
  }

  /** Appends a row of an {@link ColumnType#INT64} column. */
  public void appendLong(long value) throws IOException {
    expect(ColumnType.INT64, 1);
    out.writeLong(value);
    rows++;
  }

  /** Appends a row of an {@link ColumnType#INT32} column. */
  public void appendInt(int value) throws IOException {
    expect(ColumnType.INT32, 1);
    out.writeInt(value);
    rows++;
  }

  /** Appends a row of an {@link ColumnType#INT16} column. */
  public void appendShort(short value) throws IOException {
    expect(ColumnType.INT16, 1);
    out.writeShort(value);
    rows++;
  }

  /** Appends a row of an {@link ColumnType#INT8} column. */
  public void appendByte(byte value) throws IOException {
    expect(ColumnType.INT8, 1);
    out.writeByte(value);
    rows++;
  }

  /** Appends a row of a scalar {@link ColumnType#FLOAT32} column. */
  public void appendFloat(float value) throws IOException {
    expect(ColumnType.FLOAT32, 1);
    out.writeFloat(value);
    rows++;
  }

  /** Appends a row of a {@link ColumnType#FLOAT32} column whose arity is {@code values.length}. */
  public void appendFloats(float[] values) throws IOException {
    expect(ColumnType.FLOAT32, values.length);
    for (float v : values) {
      out.writeFloat(v);
    }
    rows++;
  }

  /** Appends a row of zeros (an absent value). */
  public void appendZeros() throws IOException {
    out.writeZeros((long) type.width() * arity);
    rows++;
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  /** Writes the parameters and footer, syncs and closes. */
  public WrittenFile finish() throws IOException {
    out.alignTo(Long.BYTES);
    return out.finish(rows, arity, type.width());
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private void expect(ColumnType wanted, int wantedArity) {
    if (type != wanted || arity != wantedArity) {
      throw new IllegalStateException(
          "column "
              + out.path()
              + " holds "
              + arity
              + " x "
              + type
              + " per row, not "
              + wantedArity
              + " x "
              + wanted);
    }
  }
}
