package dev.magpie.engine.io;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The envelope every binary Magpie file shares: a header naming the file's kind and format version,
 * a kind-specific body, a block of parameters (counts, widths) written when the body is complete,
 * and a footer with a CRC32C checksum of everything before it. All numbers are little-endian.
 *
 * <pre>
 *  offset           size  field
 *  +--------------------------------------------------------------+
 *  | 0                 4  MAGIC 0x4950474D ("MGPI" in file order)  |
 *  | 4                 4  format version of this kind of file      |
 *  | 8                24  kind, ASCII, zero padded ("col.i64", ...) |
 *  | 32               32  reserved, zero                           |
 *  +--------------------------------------------------------------+ HEADER_LENGTH = 64
 *  | 64                -  body, kind specific (64-byte aligned)     |
 *  +--------------------------------------------------------------+ length - TRAILER_LENGTH
 *  | length - 48      32  parameters: PARAM_COUNT longs            |
 *  | length - 16       4  FOOTER_MAGIC 0x464F4F54 ("TOOF")         |
 *  | length - 12       4  checksum algorithm, 1 = CRC32C            |
 *  | length -  8       8  checksum of bytes [0, length - 8)         |
 *  +--------------------------------------------------------------+ length
 * </pre>
 *
 * <p>Parameters sit at the end so that a file can be streamed in one pass: a writer knows its
 * counts only when the body is done. Readers verify magic, kind, version, footer and checksum
 * before exposing the body ({@link MappedFile}).
 */
public final class FileFormat {
  /** Byte order of every number in every Magpie file. */
  public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

  /** First four bytes of every file. */
  public static final int MAGIC = 0x4950474D;

  /** First four bytes of the footer. */
  public static final int FOOTER_MAGIC = 0x464F4F54;

  /** Checksum algorithm id for CRC32C (the only one so far). */
  public static final int CHECKSUM_CRC32C = 1;

  /** Offset of the format version. */
  public static final int VERSION_OFFSET = 4;

  /** Offset of the kind name. */
  public static final int KIND_OFFSET = 8;

  /** Bytes reserved for the kind name. */
  public static final int KIND_LENGTH = 24;

  /** Length of the header; the body starts here, aligned for any primitive. */
  public static final int HEADER_LENGTH = 64;

  /** Number of kind-specific long parameters. */
  public static final int PARAM_COUNT = 4;

  /** Length of the parameter block. */
  public static final int PARAMS_LENGTH = PARAM_COUNT * Long.BYTES;

  /** Length of the footer (magic, algorithm, checksum). */
  public static final int FOOTER_LENGTH = 16;

  /** Parameters plus footer: everything after the body. */
  public static final int TRAILER_LENGTH = PARAMS_LENGTH + FOOTER_LENGTH;

  /** Offset of the checksum, counted back from the end of the file. */
  public static final int CHECKSUM_FROM_END = 8;

  /** Smallest valid file: header and trailer with an empty body. */
  public static final int MIN_LENGTH = HEADER_LENGTH + TRAILER_LENGTH;

  private FileFormat() {}

  /**
   * Checks a kind name fits the header and is printable ASCII.
   *
   * @return the kind's bytes
   */
  static byte[] kindBytes(String kind) {
    byte[] bytes = kind.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length == 0 || bytes.length > KIND_LENGTH) {
      throw new IllegalArgumentException(
          "file kind '" + kind + "' must be 1 to " + KIND_LENGTH + " ASCII characters");
    }
    for (byte b : bytes) {
      if (b < 0x21 || b > 0x7E) {
        throw new IllegalArgumentException("file kind '" + kind + "' must be printable ASCII");
      }
    }
    return bytes;
  }
}
