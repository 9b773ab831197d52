package dev.magpie.engine.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.testing.Seeded;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

@Seeded
class Int8DotProductTest {
  @Test
  void matchesTheScalarLoopForEveryLengthAndOffset(Random random) {
    byte[] a = new byte[2_000];
    byte[] b = new byte[2_000];
    random.nextBytes(a);
    random.nextBytes(b);
    a[0] = -128;
    b[0] = -128;
    MemorySegment sa = MemorySegment.ofArray(a);
    MemorySegment sb = MemorySegment.ofArray(b);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment rows = Int8DotProduct.plain(arena.allocate(a.length).copyFrom(sa));
      assertTrue(rows.isNative());
      for (int length = 0; length <= 1_000; length++) {
        int ao = random.nextInt(a.length - length + 1);
        int bo = random.nextInt(b.length - length + 1);
        int expected = Int8DotProduct.dotScalar(sa, ao, sb, bo, length);
        assertEquals(
            expected,
            Int8DotProduct.dot(sa, ao, sb, bo, length),
            "length " + length + " offsets " + ao + ", " + bo);
        byte[] query = Arrays.copyOfRange(b, bo, bo + length);
        assertEquals(
            expected,
            Int8DotProduct.dot(rows, ao, query),
            "row against a heap query: length " + length + " offsets " + ao + ", " + bo);
        long[] offsets = {
          ao,
          random.nextInt(a.length - length + 1),
          random.nextInt(a.length - length + 1),
          random.nextInt(a.length - length + 1)
        };
        int[] four = new int[6];
        Int8DotProduct.dot4(rows, offsets[0], offsets[1], offsets[2], offsets[3], query, four, 1);
        for (int r = 0; r < 4; r++) {
          assertEquals(
              Int8DotProduct.dotScalar(sa, offsets[r], sb, bo, length),
              four[1 + r],
              "row "
                  + r
                  + " of four: length "
                  + length
                  + " offsets "
                  + Arrays.toString(offsets)
                  + ", "
                  + bo);
        }
        assertEquals(0, four[0] | four[5], "only its four slots written");
      }
      assertEquals(16384, Int8DotProduct.dot(sa, 0, sb, 0, 1));
      byte[] extremes = new byte[64];
      Arrays.fill(extremes, (byte) -128);
      MemorySegment lows =
          Int8DotProduct.plain(arena.allocate(64).copyFrom(MemorySegment.ofArray(extremes)));
      assertEquals(
          64 * 16384, Int8DotProduct.dot(lows, 0, extremes), "extreme codes do not overflow");
      assertThrows(
          IndexOutOfBoundsException.class,
          () -> Int8DotProduct.dot(rows, a.length - 10, new byte[64]));
      assertThrows(
          IndexOutOfBoundsException.class,
          () -> Int8DotProduct.dot4(rows, 0, 0, a.length - 10, 0, new byte[64], new int[4], 0));
    }
  }
}
