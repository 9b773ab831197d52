package dev.magpie.engine.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Damages files the way disks and crashes do, for tests of verification. */
public final class Corruption {
  private Corruption() {}

  /** Flips bit {@code bit} (0 to 7) of the byte at {@code position}. */
  public static void flipBit(Path file, long position, int bit) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, position);
      byte value = b.get(0);
      b.clear();
      b.put((byte) (value ^ (1 << bit))).flip();
      ch.write(b, position);
    }
  }

  /** Cuts {@code file} to {@code length} bytes. */
  public static void truncate(Path file, long length) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(length);
    }
  }
}
