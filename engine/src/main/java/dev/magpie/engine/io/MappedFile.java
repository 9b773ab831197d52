package dev.magpie.engine.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A Magpie file mapped read-only into memory and verified: magic, kind, version, footer and, unless
 * told otherwise, the CRC32C of every byte. Only then is its {@link #body()} handed out. The
 * mapping belongs to the {@link Arena} given to {@link #open}; closing that arena unmaps it, after
 * which any access fails with {@link IllegalStateException} rather than reading freed memory.
 *
 * <p>See {@link FileFormat} for the layout.
 */
public final class MappedFile {
  private static final ValueLayout.OfInt INT =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(FileFormat.ORDER);
  private static final ValueLayout.OfLong LONG =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(FileFormat.ORDER);
  private static final long CHECKSUM_CHUNK = 1L << 30;

  private final Path path;
  private final MemorySegment whole;
  private final MemorySegment body;
  private final long checksum;

  private MappedFile(Path path, MemorySegment whole, long checksum) {
    this.path = path;
    this.whole = whole;
    this.body = whole.asSlice(FileFormat.HEADER_LENGTH, whole.byteSize() - FileFormat.MIN_LENGTH);
    this.checksum = checksum;
  }

  /**
   * Maps and verifies a file.
   *
   * @param path the file
   * @param arena owns the mapping; the file stays mapped until it closes
   * @param kind the kind the caller expects
   * @param version the format version the caller reads
   * @param verifyChecksum whether to compute the CRC32C of the whole file (reads every page)
   * @throws CorruptFileException if anything does not match, naming what and the values
   * @throws NoSuchFileException if the file is missing
   */
  public static MappedFile open(
      Path path, Arena arena, String kind, int version, boolean verifyChecksum) throws IOException {
    return map(path, arena, kind, version, verifyChecksum);
  }

  private static MappedFile map(
      Path path, Arena arena, String kind, int version, boolean verifyChecksum) throws IOException {
    MemorySegment segment;
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < FileFormat.MIN_LENGTH) {
        throw new CorruptFileException(
            path,
            "truncated: " + size + " bytes, a valid file has at least " + FileFormat.MIN_LENGTH);
      }
      segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
    }
    long size = segment.byteSize();
    int magic = segment.get(INT, 0);
    if (magic != FileFormat.MAGIC) {
      throw new CorruptFileException(
          path,
          String.format(
              "not a Magpie file: magic 0x%08X, expected 0x%08X", magic, FileFormat.MAGIC));
    }
    String foundKind = readKind(segment);
    if (!foundKind.equals(kind)) {
      throw new CorruptFileException(path, "kind '" + foundKind + "', expected '" + kind + "'");
    }
    int foundVersion = segment.get(INT, FileFormat.VERSION_OFFSET);
    if (foundVersion != version) {
      throw new CorruptFileException(
          path,
          "format version " + foundVersion + " of '" + kind + "', this build reads " + version);
    }
    long footer = size - FileFormat.FOOTER_LENGTH;
    int footerMagic = segment.get(INT, footer);
    if (footerMagic != FileFormat.FOOTER_MAGIC) {
      throw new CorruptFileException(
          path,
          String.format(
              "no footer (truncated or unfinished): found 0x%08X at offset %d, expected 0x%08X",
              footerMagic, footer, FileFormat.FOOTER_MAGIC));
    }
    int algorithm = segment.get(INT, footer + Integer.BYTES);
    if (algorithm != FileFormat.CHECKSUM_CRC32C) {
      throw new CorruptFileException(path, "unknown checksum algorithm " + algorithm);
    }
    long stored = segment.get(LONG, size - FileFormat.CHECKSUM_FROM_END);
    if (verifyChecksum) {
      long computed = crc32c(segment.asSlice(0, size - FileFormat.CHECKSUM_FROM_END));
      if (computed != stored) {
        throw new CorruptFileException(
            path, String.format("checksum mismatch: stored %08x, computed %08x", stored, computed));
      }
    }
    return new MappedFile(path, segment, stored);
  }

  /** CRC32C of a segment, in chunks a {@link java.nio.ByteBuffer} can address. */
  public static long crc32c(MemorySegment segment) {
    CRC32C crc = new CRC32C();
    for (long offset = 0; offset < segment.byteSize(); offset += CHECKSUM_CHUNK) {
      long chunk = Math.min(CHECKSUM_CHUNK, segment.byteSize() - offset);
      crc.update(segment.asSlice(offset, chunk).asByteBuffer());
    }
    return crc.getValue();
  }

  private static String readKind(MemorySegment segment) {
    byte[] bytes = new byte[FileFormat.KIND_LENGTH];
    MemorySegment.copy(
        segment, ValueLayout.JAVA_BYTE, FileFormat.KIND_OFFSET, bytes, 0, bytes.length);
    int length = 0;
    while (length < bytes.length && bytes[length] != 0) {
      length++;
    }
    return new String(bytes, 0, length, StandardCharsets.US_ASCII);
  }

  /**
   * Drops this file's pages from the process's resident set ({@code madvise(MADV_DONTNEED)}; the
   * kernel's page cache may keep them, and a later read maps them back): for a file that is read
   * only now and then, once verification has read every page of it.
   */
  public void release() {
    whole.unload();
  }

  /** The mapped file. */
  public Path path() {
    return path;
  }

  /** The body: everything between header and parameters. */
  public MemorySegment body() {
    return body;
  }

  /** The file's length in bytes. */
  public long length() {
    return whole.byteSize();
  }

  /** The CRC32C stored in the footer. */
  public long checksum() {
    return checksum;
  }

  /** Kind-specific parameter {@code index}, 0 to {@value FileFormat#PARAM_COUNT} - 1. */
  public long param(int index) {
    if (index < 0 || index >= FileFormat.PARAM_COUNT) {
      throw new IndexOutOfBoundsException("parameter " + index + " of " + FileFormat.PARAM_COUNT);
    }
    return whole.get(
        LONG, whole.byteSize() - FileFormat.TRAILER_LENGTH + (long) index * Long.BYTES);
  }

  /**
   * Fails with a {@link CorruptFileException} naming this file unless {@code condition} holds; for
   * the structural checks each reader makes on its parameters.
   */
  public void require(boolean condition, String problem) throws CorruptFileException {
    if (!condition) {
      throw new CorruptFileException(path, problem);
    }
  }
}
