package dev.magpie.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.testing.Corruption;
import dev.magpie.engine.testing.Seeded;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Seeded
class MappedFileTest {
  @TempDir Path tmp;

  private Path write(Random random, byte[] body) throws IOException {
    Path file = tmp.resolve("f" + random.nextInt(1 << 20));
    try (ChecksummedFileWriter out = ChecksummedFileWriter.create(file, "test.kind", 3)) {
      // Pieces of random length, through both ways of writing bytes.
      for (int at = 0; at < body.length; ) {
        int n = Math.min(body.length - at, 1 + random.nextInt(300_000));
        if (random.nextBoolean()) {
          out.writeBytes(body, at, n);
        } else {
          out.writeSegment(java.lang.foreign.MemorySegment.ofArray(body).asSlice(at, n));
        }
        at += n;
      }
      out.finish(body.length, 7, -1);
    }
    return file;
  }

  @Test
  void roundTripsBodyAndParameters(Random random) throws IOException {
    for (int round = 0; round < 20; round++) {
      byte[] body = new byte[random.nextInt(round == 0 ? 1 : 3_000_000)];
      random.nextBytes(body);
      Path file = write(random, body);
      try (Arena arena = Arena.ofConfined()) {
        MappedFile mapped = MappedFile.open(file, arena, "test.kind", 3, true);
        assertArrayEquals(body, mapped.body().toArray(ValueLayout.JAVA_BYTE));
        assertEquals(body.length, mapped.param(0));
        assertEquals(7, mapped.param(1));
        assertEquals(-1, mapped.param(2));
        assertEquals(0, mapped.param(3));
        assertEquals(Files.size(file), mapped.length());
      }
    }
  }

  @Test
  void refusesAnyFlippedByte(Random random) throws IOException {
    byte[] body = new byte[1 + random.nextInt(10_000)];
    random.nextBytes(body);
    Path file = write(random, body);
    long size = Files.size(file);
    for (int round = 0; round < 50; round++) {
      long position = round == 0 ? size - 1 : round == 1 ? 0 : (long) (random.nextDouble() * size);
      Corruption.flipBit(file, position, 6);
      try (Arena arena = Arena.ofConfined()) {
        CorruptFileException e =
            assertThrows(
                CorruptFileException.class,
                () -> MappedFile.open(file, arena, "test.kind", 3, true),
                "flipped byte at " + position);
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
      }
      Corruption.flipBit(file, position, 6);
    }
  }

  @Test
  void refusesTruncationWrongKindAndVersion(Random random) throws IOException {
    byte[] body = new byte[100];
    Path file = write(random, body);
    try (Arena arena = Arena.ofConfined()) {
      assertMessage(
          "kind 'test.kind', expected 'other'",
          () -> MappedFile.open(file, arena, "other", 3, true));
      assertMessage(
          "format version 3 of 'test.kind', this build reads 4",
          () -> MappedFile.open(file, arena, "test.kind", 4, true));
    }
    Corruption.truncate(file, Files.size(file) - 5);
    try (Arena arena = Arena.ofConfined()) {
      assertMessage("no footer", () -> MappedFile.open(file, arena, "test.kind", 3, true));
    }
    Corruption.truncate(file, 10);
    try (Arena arena = Arena.ofConfined()) {
      assertMessage(
          "truncated: 10 bytes", () -> MappedFile.open(file, arena, "test.kind", 3, true));
    }
  }

  @Test
  void unfinishedWriterLeavesAFileReadersRefuse() throws IOException {
    Path file = tmp.resolve("unfinished");
    try (ChecksummedFileWriter out = ChecksummedFileWriter.create(file, "test.kind", 1)) {
      out.writeLong(42);
    }
    try (Arena arena = Arena.ofConfined()) {
      assertThrows(
          CorruptFileException.class, () -> MappedFile.open(file, arena, "test.kind", 1, true));
    }
  }

  @Test
  void accessAfterArenaCloseFailsSafely(Random random) throws IOException {
    Path file = write(random, new byte[64]);
    MappedFile mapped;
    try (Arena arena = Arena.ofConfined()) {
      mapped = MappedFile.open(file, arena, "test.kind", 3, true);
    }
    MappedFile closed = mapped;
    assertThrows(IllegalStateException.class, () -> closed.body().get(ValueLayout.JAVA_BYTE, 0));
  }

  private static void assertMessage(
      String expected, org.junit.jupiter.api.function.Executable call) {
    CorruptFileException e = assertThrows(CorruptFileException.class, call);
    assertTrue(
        e.getMessage().contains(expected),
        "message '" + e.getMessage() + "' lacks '" + expected + "'");
  }
}
