package dev.magpie.engine.vector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Full-precision vectors read a row at a time with positional reads from their file, never mapped:
 * a search rescores its candidates exactly without the whole float file (three quarters of a
 * vector's bytes) in the process's resident set. The kernel's page cache may hold the rows read
 * often, and gives the memory back under pressure; a row it dropped is read from disk.
 *
 * <p>The file holds {@code count} rows of {@code dim} little-endian floats from byte {@code offset}
 * (the snapshot's vector column, whose header and checksum were verified when it was opened).
 * Thread-safe: each thread reads through its own buffer. The channel is closed when the arena given
 * to {@link #open} closes.
 */
public final class FloatRowsOnDisk {
  private final FileChannel channel;
  private final Path path;
  private final long offset;
  private final int count;
  private final int dim;
  private final ThreadLocal<ByteBuffer> buffers;

  private FloatRowsOnDisk(FileChannel channel, Path path, long offset, int count, int dim) {
    this.channel = channel;
    this.path = path;
    this.offset = offset;
    this.count = count;
    this.dim = dim;
    this.buffers =
        ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(4 * dim).order(ByteOrder.LITTLE_ENDIAN));
  }

  /**
   * Opens {@code file} for reading rows; {@code owner} closes it.
   *
   * @throws IllegalArgumentException if the file is too short for the rows
   */
  @SuppressWarnings("restricted")
  public static FloatRowsOnDisk open(Path file, long offset, int count, int dim, Arena owner)
      throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      long needed = offset + 4L * dim * count;
      if (channel.size() < needed) {
        throw new IllegalArgumentException(
            file
                + ": "
                + channel.size()
                + " bytes, "
                + count
                + " rows of "
                + dim
                + " floats need "
                + needed);
      }
      // Closed with the arena that holds the rest of the snapshot.
      MemorySegment.NULL.reinterpret(0, owner, ignored -> closeQuietly(channel));
    } catch (RuntimeException e) {
      channel.close();
      throw e;
    }
    return new FloatRowsOnDisk(channel, file, offset, count, dim);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Read-only: nothing to lose.
    }
  }

  /** Rows. */
  public int count() {
    return count;
  }

  /** Floats a row. */
  public int dim() {
    return dim;
  }

  /**
   * Reads row {@code row} into {@code into} ({@link #dim()} floats).
   *
   * @throws UncheckedIOException if the read fails
   */
  public void read(int row, float[] into) {
    if (row < 0 || row >= count) {
      throw new IndexOutOfBoundsException("row " + row + " of " + count);
    }
    ByteBuffer buffer = buffers.get().clear();
    long at = offset + 4L * dim * row;
    try {
      while (buffer.hasRemaining()) {
        int read = channel.read(buffer, at + buffer.position());
        if (read < 0) {
          throw new IOException("unexpected end of file at byte " + (at + buffer.position()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading vector " + row + " from " + path, e);
    }
    buffer.flip();
    buffer.asFloatBuffer().get(into, 0, dim);
  }
}
