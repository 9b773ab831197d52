package dev.magpie.engine.snapshot;

import java.io.IOException;
import java.nio.file.Path;

/** A snapshot directory that was never finished (no manifest), or a store with no live version. */
public final class IncompleteSnapshotException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param dir the directory
   * @param problem what is missing
   */
  public IncompleteSnapshotException(Path dir, String problem) {
    super(dir + ": " + problem);
  }
}
