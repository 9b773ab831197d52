package dev.magpie.engine.io;

import java.io.IOException;
import java.nio.file.Path;

/** A file failed verification: wrong magic, kind or version, truncated, or a checksum mismatch. */
public final class CorruptFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /**
   * @param file the file that failed
   * @param problem what is wrong, with the values found and expected
   */
  public CorruptFileException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  /** The file that failed verification. */
  public Path file() {
    return file;
  }
}
