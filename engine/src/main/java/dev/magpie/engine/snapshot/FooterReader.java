package dev.magpie.engine.snapshot;

import dev.magpie.engine.io.FileFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads the checksum stored in a file's footer without mapping the file. */
final class FooterReader {
  private FooterReader() {}

  /** The checksum in the last 8 bytes of {@code file}, in {@code order}. */
  static long storedChecksum(Path file, ByteOrder order) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < FileFormat.CHECKSUM_FROM_END) {
        return -1;
      }
      ByteBuffer buffer = ByteBuffer.allocate(Long.BYTES).order(order);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, size - FileFormat.CHECKSUM_FROM_END + buffer.position()) < 0) {
          break;
        }
      }
      return buffer.flip().getLong();
    }
  }
}
