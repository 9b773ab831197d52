package dev.magpie.engine.store;

import dev.magpie.engine.io.FileFormat;
import java.lang.foreign.ValueLayout;

/** Element types of a {@link FixedWidthColumn}, each with its file kind and memory layout. */
public enum ColumnType {
  /** Signed 64-bit integers. */
  INT64("col.i64", ValueLayout.JAVA_LONG),
  /** Signed 32-bit integers. */
  INT32("col.i32", ValueLayout.JAVA_INT),
  /** Signed 16-bit integers. */
  INT16("col.i16", ValueLayout.JAVA_SHORT),
  /** Bytes (flags, small enums). */
  INT8("col.i8", ValueLayout.JAVA_BYTE),
  /** IEEE 754 single-precision floats; with an arity above one, one vector per row. */
  FLOAT32("col.f32", ValueLayout.JAVA_FLOAT);

  private final String kind;
  private final ValueLayout layout;

  ColumnType(String kind, ValueLayout layout) {
    this.kind = kind;
    this.layout = layout.withOrder(FileFormat.ORDER);
  }

  /** The file kind written in the header. */
  public String kind() {
    return kind;
  }

  /** Bytes per element. */
  public int width() {
    return (int) layout.byteSize();
  }

  /** The element layout (little-endian, naturally aligned). */
  public ValueLayout layout() {
    return layout;
  }
}
