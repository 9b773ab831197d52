package dev.magpie.engine.snapshot;

import dev.magpie.engine.io.CorruptFileException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The content of a store's {@code CURRENT} file: one line naming the live version, with a format
 * tag and a checksum so that a damaged pointer is refused rather than followed to the wrong
 * version.
 *
 * <pre>
 *  magpie-current/1 v000003 crc32c:5e6f7a8b\n
 *  ^ format/version ^ version ^ CRC32C of the version name's ASCII bytes
 * </pre>
 */
final class CurrentPointer {
  /** Format tag and version of the pointer line. */
  static final String TAG = "magpie-current/1";

  private CurrentPointer() {}

  /** The line naming {@code versionName}. */
  static String format(String versionName) {
    return TAG + " " + versionName + " " + checksum(versionName) + "\n";
  }

  /**
   * The version a pointer line names.
   *
   * @throws CorruptFileException if the line is not a valid pointer
   */
  static String parse(Path file, String text) throws CorruptFileException {
    String[] parts = text.strip().split(" ");
    if (parts.length != 3 || !parts[0].equals(TAG)) {
      throw new CorruptFileException(
          file,
          "not a snapshot pointer: '"
              + shorten(text)
              + "', expected '"
              + TAG
              + " vNNNNNN crc32c:XXXXXXXX'");
    }
    String name = parts[1];
    if (SnapshotLayout.versionNumber(name) < 0) {
      throw new CorruptFileException(file, "names '" + name + "', not a version like v000001");
    }
    String expected = checksum(name);
    if (!expected.equals(parts[2])) {
      throw new CorruptFileException(
          file,
          "checksum mismatch: stored " + parts[2] + ", computed " + expected + " for " + name);
    }
    return name;
  }

  private static String checksum(String versionName) {
    CRC32C crc = new CRC32C();
    crc.update(versionName.getBytes(StandardCharsets.US_ASCII));
    return String.format("crc32c:%08x", crc.getValue());
  }

  private static String shorten(String text) {
    String line = text.strip();
    return line.length() <= 60 ? line : line.substring(0, 60) + "...";
  }
}
