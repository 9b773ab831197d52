package dev.magpie.engine.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.testing.Seeded;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Seeded
class FixedWidthColumnTest {
  @TempDir Path tmp;

  @Test
  void everyTypeRoundTrips(Random random) throws IOException {
    int rows = random.nextInt(20_000);
    long[] longs = new long[rows];
    int[] ints = new int[rows];
    short[] shorts = new short[rows];
    byte[] bytes = new byte[rows];
    float[] floats = new float[rows];
    try (var l = FixedWidthColumnWriter.create(tmp.resolve("l"), ColumnType.INT64);
        var i = FixedWidthColumnWriter.create(tmp.resolve("i"), ColumnType.INT32);
        var s = FixedWidthColumnWriter.create(tmp.resolve("s"), ColumnType.INT16);
        var b = FixedWidthColumnWriter.create(tmp.resolve("b"), ColumnType.INT8);
        var f = FixedWidthColumnWriter.create(tmp.resolve("f"), ColumnType.FLOAT32)) {
      for (int r = 0; r < rows; r++) {
        l.appendLong(longs[r] = random.nextLong());
        i.appendInt(ints[r] = random.nextInt());
        s.appendShort(shorts[r] = (short) random.nextInt());
        b.appendByte(bytes[r] = (byte) random.nextInt());
        f.appendFloat(floats[r] = random.nextInt(10) == 0 ? Float.NaN : random.nextFloat());
      }
      l.finish();
      i.finish();
      s.finish();
      b.finish();
      f.finish();
    }
    try (Arena arena = Arena.ofConfined()) {
      var l = FixedWidthColumn.open(tmp.resolve("l"), arena, ColumnType.INT64, 1, true);
      var i = FixedWidthColumn.open(tmp.resolve("i"), arena, ColumnType.INT32, 1, true);
      var s = FixedWidthColumn.open(tmp.resolve("s"), arena, ColumnType.INT16, 1, true);
      var b = FixedWidthColumn.open(tmp.resolve("b"), arena, ColumnType.INT8, 1, true);
      var f = FixedWidthColumn.open(tmp.resolve("f"), arena, ColumnType.FLOAT32, 1, true);
      assertEquals(rows, l.rows());
      for (int r = 0; r < rows; r++) {
        assertEquals(longs[r], l.getLong(r));
        assertEquals(ints[r], i.getInt(r));
        assertEquals(shorts[r], s.getShort(r));
        assertEquals(bytes[r], b.getByte(r));
        assertEquals(Float.floatToIntBits(floats[r]), Float.floatToIntBits(f.getFloat(r)));
      }
      IndexOutOfBoundsException e =
          assertThrows(IndexOutOfBoundsException.class, () -> l.getLong(rows));
      assertTrue(
          e.getMessage().contains("row " + rows + " out of range [0, " + rows + ")"),
          e.getMessage());
      assertThrows(
          CorruptFileException.class,
          () -> FixedWidthColumn.open(tmp.resolve("l"), arena, ColumnType.INT32, 1, true));
    }
  }

  @Test
  void vectorRowsRoundTrip(Random random) throws IOException {
    int dim = 1 + random.nextInt(400);
    int rows = random.nextInt(500);
    float[][] vectors = new float[rows][dim];
    try (var out = FixedWidthColumnWriter.create(tmp.resolve("v"), ColumnType.FLOAT32, dim)) {
      for (float[] v : vectors) {
        for (int d = 0; d < dim; d++) {
          v[d] = (float) random.nextGaussian();
        }
        out.appendFloats(v);
      }
      assertThrows(IllegalStateException.class, () -> out.appendFloats(new float[dim + 1]));
      out.finish();
    }
    try (Arena arena = Arena.ofConfined()) {
      var column = FixedWidthColumn.open(tmp.resolve("v"), arena, ColumnType.FLOAT32, dim, true);
      float[] copy = new float[dim];
      for (int r = 0; r < rows; r++) {
        column.copyFloats(r, copy);
        assertArrayEquals(vectors[r], copy);
        assertEquals(vectors[r][dim - 1], column.getFloat(r, dim - 1));
      }
      CorruptFileException e =
          assertThrows(
              CorruptFileException.class,
              () ->
                  FixedWidthColumn.open(
                      tmp.resolve("v"), arena, ColumnType.FLOAT32, dim + 1, true));
      assertTrue(
          e.getMessage().contains("arity " + dim + ", expected " + (dim + 1)), e.getMessage());
    }
  }
}
