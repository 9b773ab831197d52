package dev.magpie.engine.snapshot;

import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.io.FileOps;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A directory of snapshot versions with a {@code CURRENT} file naming the live one (layout in
 * {@link dev.magpie.engine.snapshot the package doc}). New versions are built in a staging
 * directory ({@link #stage()}), verified in full, renamed into place and only then named by {@code
 * CURRENT}, which is replaced atomically. So at every instant CURRENT names a complete, verified
 * version, and a crash anywhere in a load leaves the previous one live.
 *
 * <p>One process at a time may stage (an OS file lock on {@code .lock}); any number may read.
 */
public final class SnapshotStore {
  private final Path root;
  private final FileOps ops;

  private SnapshotStore(Path root, FileOps ops) {
    this.root = root;
    this.ops = ops;
  }

  /** Opens (creating if needed) the store at {@code root}. */
  public static SnapshotStore open(Path root) throws IOException {
    return open(root, FileOps.DEFAULT);
  }

  /** Opens the store at {@code root}, renaming and syncing through {@code ops}. */
  public static SnapshotStore open(Path root, FileOps ops) throws IOException {
    Files.createDirectories(root);
    return new SnapshotStore(root.toAbsolutePath().normalize(), ops);
  }

  /**
   * The version directory {@code path} stands for: the one a store's {@code CURRENT} names, or
   * {@code path} itself when it is a version directory.
   */
  public static Path resolveVersionDir(Path path) throws IOException {
    if (isStore(path)) {
      return new SnapshotStore(path.toAbsolutePath().normalize(), FileOps.DEFAULT).currentDir();
    }
    if (Files.isDirectory(path)
        && SnapshotLayout.versionNumber(path.getFileName().toString()) > 0) {
      return path;
    }
    if (Files.isRegularFile(path.resolve(SnapshotLayout.MANIFEST))) {
      return path;
    }
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString(), null, "no such snapshot store or version");
    }
    throw new IncompleteSnapshotException(
        path,
        "neither a snapshot store (no "
            + SnapshotLayout.CURRENT
            + ") nor a snapshot version (no "
            + SnapshotLayout.MANIFEST
            + ")");
  }

  /** Whether {@code dir} is a snapshot store (it has a {@link SnapshotLayout#CURRENT} pointer). */
  public static boolean isStore(Path dir) {
    return Files.isRegularFile(dir.resolve(SnapshotLayout.CURRENT));
  }

  /** The operations the store publishes and syncs through. */
  FileOps fileOps() {
    return ops;
  }

  /** The store's directory. */
  public Path root() {
    return root;
  }

  /** The name of the live version ("v000003"), or empty when nothing has been published. */
  public Optional<String> currentVersion() throws IOException {
    Path current = root.resolve(SnapshotLayout.CURRENT);
    String text;
    try {
      text = Files.readString(current, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    return Optional.of(CurrentPointer.parse(current, text));
  }

  /** The live version's directory. */
  public Path currentDir() throws IOException {
    String name =
        currentVersion()
            .orElseThrow(
                () ->
                    new IncompleteSnapshotException(
                        root, "no snapshot published yet (no CURRENT)"));
    return root.resolve(name);
  }

  /** Opens the live version with full verification. */
  public Snapshot openCurrent() throws IOException {
    return Snapshot.open(currentDir());
  }

  /** Opens the live version. */
  public Snapshot openCurrent(SnapshotOpenOptions options) throws IOException {
    return Snapshot.open(currentDir(), options);
  }

  /** Numbers of the published version directories, ascending. */
  public List<Integer> versions() throws IOException {
    List<Integer> numbers = new ArrayList<>();
    try (Stream<Path> entries = Files.list(root)) {
      entries
          .filter(Files::isDirectory)
          .mapToInt(p -> SnapshotLayout.versionNumber(p.getFileName().toString()))
          .filter(n -> n > 0)
          .sorted()
          .forEach(numbers::add);
    }
    return numbers;
  }

  /**
   * Starts a new version: takes the store's lock, removes staging and deleting directories left by
   * crashed loads, and creates an empty staging directory numbered one above every version present.
   *
   * @throws IOException if another process is staging into this store
   */
  public StagedSnapshot stage() throws IOException {
    FileChannel lockChannel =
        FileChannel.open(
            root.resolve(SnapshotLayout.LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockChannel.close();
      throw new IOException(
          "another load is publishing into " + root + " (" + SnapshotLayout.LOCK + " is locked)");
    }
    boolean success = false;
    try {
      removeDebris();
      List<Integer> versions = versions();
      int next = versions.isEmpty() ? 1 : versions.getLast() + 1;
      String name = SnapshotLayout.versionName(next);
      Path dir = root.resolve(SnapshotLayout.STAGING_PREFIX + name);
      Files.createDirectories(dir);
      StagedSnapshot staged = new StagedSnapshot(this, dir, next, lockChannel);
      success = true;
      return staged;
    } finally {
      if (!success) {
        lockChannel.close();
      }
    }
  }

  /**
   * Verifies a staged version in full, renames it into place and makes it the live one.
   *
   * @throws IOException if verification or any step fails; CURRENT then still names the previous
   *     version
   */
  void publish(StagedSnapshot staged) throws IOException {
    try (Snapshot check = Snapshot.open(staged.dir(), SnapshotOpenOptions.DEFAULT)) {
      if (check.manifest().version() != staged.version()) {
        throw new CorruptFileException(
            staged.dir().resolve(SnapshotLayout.MANIFEST),
            "version " + check.manifest().version() + ", staged as " + staged.version());
      }
    }
    String name = SnapshotLayout.versionName(staged.version());
    Path target = root.resolve(name);
    ops.atomicMove(staged.dir(), target);
    ops.fsyncDirectory(root);
    Path tmp = root.resolve(SnapshotLayout.CURRENT + ".tmp");
    Files.deleteIfExists(tmp);
    Files.writeString(
        tmp,
        CurrentPointer.format(name),
        StandardCharsets.US_ASCII,
        StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    ops.fsyncFile(tmp);
    ops.atomicMove(tmp, root.resolve(SnapshotLayout.CURRENT));
    ops.fsyncDirectory(root);
  }

  /**
   * Deletes published versions other than the live one and the {@code keep} newest. Each is first
   * renamed out of the versions' names ({@link SnapshotLayout#DELETING_PREFIX}), so a crash while
   * its files are deleted leaves no half-deleted version; the next {@link #stage()} removes what is
   * left.
   *
   * @return how many were deleted
   */
  public int prune(int keep) throws IOException {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1, got " + keep);
    }
    Optional<String> current = currentVersion();
    List<Integer> versions = versions();
    int deleted = 0;
    for (int i = 0; i < versions.size() - keep; i++) {
      String name = SnapshotLayout.versionName(versions.get(i));
      if (current.isPresent() && current.get().equals(name)) {
        continue;
      }
      Path doomed = root.resolve(SnapshotLayout.DELETING_PREFIX + name);
      deleteTree(doomed);
      ops.atomicMove(root.resolve(name), doomed);
      ops.fsyncDirectory(root);
      deleteTree(doomed);
      deleted++;
    }
    return deleted;
  }

  private void removeDebris() throws IOException {
    try (Stream<Path> entries = Files.list(root)) {
      for (Path p : entries.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith(SnapshotLayout.STAGING_PREFIX)
            || name.startsWith(SnapshotLayout.DELETING_PREFIX)) {
          deleteTree(p);
        }
      }
    }
  }

  /**
   * Deletes {@code dir} and everything below it (a store, a version, a temporary tree); nothing if
   * absent.
   */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
