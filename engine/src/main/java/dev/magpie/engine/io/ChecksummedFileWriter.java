package dev.magpie.engine.io;

import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes one Magpie file front to back in a single pass: the header on creation, the body through
 * the {@code write*} methods, and the parameters and checksummed footer in {@link
 * #finish(long...)}. The CRC32C is computed as bytes leave the buffer, so nothing is read back. See
 * {@link FileFormat} for the layout.
 *
 * <p>The 1 MiB write buffer is off-heap, owned by the writer's confined arena and freed by {@link
 * #close()} (which {@link #finish(long...)} calls). Not thread-safe: one thread writes. A writer
 * that is closed without {@link #finish(long...)} leaves a file with no footer, which every reader
 * refuses.
 */
public final class ChecksummedFileWriter implements Closeable {
  private static final int BUFFER_BYTES = 1 << 20;

  private final Path path;
  private final FileChannel channel;
  private final Arena arena;
  private final ByteBuffer buffer;
  private final CRC32C crc = new CRC32C();
  private long flushed;

  private ChecksummedFileWriter(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
    this.arena = Arena.ofConfined();
    this.buffer = arena.allocate(BUFFER_BYTES, 64).asByteBuffer().order(FileFormat.ORDER);
  }

  /**
   * Creates a new file (failing if it exists) and writes its header.
   *
   * @param path where to write
   * @param kind the file's kind name, at most {@value FileFormat#KIND_LENGTH} ASCII characters
   * @param version the format version of that kind
   */
  public static ChecksummedFileWriter create(Path path, String kind, int version)
      throws IOException {
    byte[] kindBytes = FileFormat.kindBytes(kind);
    FileChannel channel =
        FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    ChecksummedFileWriter writer = new ChecksummedFileWriter(path, channel);
    writer.writeInt(FileFormat.MAGIC);
    writer.writeInt(version);
    writer.writeBytes(kindBytes, 0, kindBytes.length);
    writer.writeZeros(FileFormat.HEADER_LENGTH - FileFormat.KIND_OFFSET - kindBytes.length);
    return writer;
  }

  /** The file being written. */
  public Path path() {
    return path;
  }

  /** Bytes written so far, header included. */
  public long position() {
    return flushed + buffer.position();
  }

  /** Appends a little-endian long. */
  public void writeLong(long value) throws IOException {
    ensure(Long.BYTES);
    buffer.putLong(value);
  }

  /** Appends a little-endian int. */
  public void writeInt(int value) throws IOException {
    ensure(Integer.BYTES);
    buffer.putInt(value);
  }

  /** Appends a little-endian short. */
  public void writeShort(short value) throws IOException {
    ensure(Short.BYTES);
    buffer.putShort(value);
  }

  /** Appends a little-endian IEEE float. */
  public void writeFloat(float value) throws IOException {
    ensure(Float.BYTES);
    buffer.putFloat(value);
  }

  /** Appends one byte. */
  public void writeByte(byte value) throws IOException {
    ensure(1);
    buffer.put(value);
  }

  /** Appends {@code length} bytes of {@code bytes} from {@code offset}. */
  public void writeBytes(byte[] bytes, int offset, int length) throws IOException {
    while (length > 0) {
      if (!buffer.hasRemaining()) {
        flush();
      }
      int chunk = Math.min(length, buffer.remaining());
      buffer.put(bytes, offset, chunk);
      offset += chunk;
      length -= chunk;
    }
  }

  /** Appends the bytes of an off-heap segment. */
  public void writeSegment(MemorySegment segment) throws IOException {
    long offset = 0;
    long length = segment.byteSize();
    while (length > 0) {
      if (!buffer.hasRemaining()) {
        flush();
      }
      int chunk = (int) Math.min(length, buffer.remaining());
      MemorySegment.ofBuffer(buffer)
          .asSlice(0, chunk) // the view starts at the position
          .copyFrom(segment.asSlice(offset, chunk));
      buffer.position(buffer.position() + chunk);
      offset += chunk;
      length -= chunk;
    }
  }

  /** Appends {@code count} zero bytes. */
  public void writeZeros(long count) throws IOException {
    while (count > 0) {
      if (!buffer.hasRemaining()) {
        flush();
      }
      int chunk = (int) Math.min(count, buffer.remaining());
      for (int i = 0; i < chunk; i++) {
        buffer.put((byte) 0);
      }
      count -= chunk;
    }
  }

  /** Pads with zeros until the position is a multiple of {@code alignment}. */
  public void alignTo(int alignment) throws IOException {
    long rest = position() % alignment;
    if (rest != 0) {
      writeZeros(alignment - rest);
    }
  }

  /**
   * Writes the parameters and the footer, forces the file to disk and closes it.
   *
   * @param params at most {@value FileFormat#PARAM_COUNT} kind-specific values; missing ones are 0
   * @return the file's length and checksum, as a manifest records them
   */
  public WrittenFile finish(long... params) throws IOException {
    if (params.length > FileFormat.PARAM_COUNT) {
      throw new IllegalArgumentException(
          "at most " + FileFormat.PARAM_COUNT + " parameters, got " + params.length);
    }
    for (int i = 0; i < FileFormat.PARAM_COUNT; i++) {
      writeLong(i < params.length ? params[i] : 0L);
    }
    writeInt(FileFormat.FOOTER_MAGIC);
    writeInt(FileFormat.CHECKSUM_CRC32C);
    flush();
    long checksum = crc.getValue();
    ByteBuffer tail = ByteBuffer.allocate(Long.BYTES).order(FileFormat.ORDER).putLong(checksum);
    tail.flip();
    try {
      while (tail.hasRemaining()) {
        channel.write(tail);
      }
      channel.force(true);
    } catch (IOException e) {
      throw naming(e);
    }
    long length = channel.position();
    close();
    return new WrittenFile(path, length, checksum);
  }

  /**
   * Closes the channel and frees the off-heap buffer; a file not finished has no footer and will be
   * refused by readers.
   */
  @Override
  public void close() throws IOException {
    try {
      if (channel.isOpen()) {
        channel.close();
      }
    } finally {
      if (arena.scope().isAlive()) {
        arena.close();
      }
    }
  }

  private void ensure(int bytes) throws IOException {
    if (buffer.remaining() < bytes) {
      flush();
    }
  }

  private void flush() throws IOException {
    buffer.flip();
    crc.update(buffer.duplicate());
    try {
      while (buffer.hasRemaining()) {
        flushed += channel.write(buffer);
      }
    } catch (IOException e) {
      throw naming(e);
    }
    buffer.clear();
  }

  /** The file system's error ("No space left on device" names no file) with the file it hit. */
  private IOException naming(IOException e) {
    return new IOException("writing " + path + ": " + e.getMessage(), e);
  }

  /**
   * What a finished writer produced.
   *
   * @param path the file
   * @param length its length in bytes
   * @param checksum the CRC32C stored in its footer
   */
  public record WrittenFile(Path path, long length, long checksum) {}
}
