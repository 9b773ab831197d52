package dev.magpie.engine.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.magpie.engine.testing.Seeded;
import java.lang.foreign.MemorySegment;
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
    for (int length = 0; length <= 1_000; length++) {
      int ao = random.nextInt(a.length - length + 1);
      int bo = random.nextInt(b.length - length + 1);
      assertEquals(Int8DotProduct.dotScalar(sa, ao, sb, bo, length), Int8DotProduct.dot(sa, ao, sb, bo, length),
          "length " + length + " offsets " + ao + ", " + bo);
    }
    assertEquals(16384, Int8DotProduct.dot(sa, 0, sb, 0, 1));
  }
}
