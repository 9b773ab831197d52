package dev.magpie.engine.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file-system operations whose failure decides durability: fsync of files and directories, and
 * atomic rename. Code that publishes data goes through this facade so tests can make any of them
 * fail and check that the previous state survives.
 */
public interface FileOps {
  /** The real file system. */
  FileOps DEFAULT = new FileOps() {};

  /** Forces a file's content and metadata to stable storage. */
  default void fsyncFile(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /**
   * Forces a directory's entries (creations, renames) to stable storage. Some platforms cannot open a
   * directory for reading; there the call does nothing.
   */
  default void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      if (System.getProperty("os.name", "").startsWith("Windows")) {
        return;
      }
      throw e;
    }
  }

  /** Renames {@code source} to {@code target} atomically, replacing {@code target} if present. */
  default void atomicMove(Path source, Path target) throws IOException {
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "the file system under " + target.getParent() + " cannot rename atomically", e);
    }
  }
}
