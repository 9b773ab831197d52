package dev.magpie.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file-system operations whose failure decides durability: writes to an open file, fsync of
 * files, open files and directories, and atomic rename. Code that publishes data goes through this
 * facade so tests can make any of them fail (a failing fsync, a write refused or cut short by a
 * full disk, a rename that does not happen) and check that nothing undurable is acknowledged and
 * the previous state survives.
 */
public interface FileOps {
  /** The real file system. */
  FileOps DEFAULT = new FileOps() {};

  /**
   * Writes bytes of {@code source} to {@code channel} at its position, as {@link
   * FileChannel#write(ByteBuffer)}: returns how many, possibly fewer than remain.
   */
  default int write(FileChannel channel, ByteBuffer source) throws IOException {
    return channel.write(source);
  }

  /**
   * Forces what was written to {@code channel} to stable storage, with the file's metadata too when
   * {@code metadata} (as {@link FileChannel#force(boolean)}).
   */
  default void force(FileChannel channel, boolean metadata) throws IOException {
    channel.force(metadata);
  }

  /** Forces a file's content and metadata to stable storage. */
  default void fsyncFile(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /**
   * Forces a directory's entries (creations, renames) to stable storage. Some platforms cannot open
   * a directory for reading; there the call does nothing.
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
