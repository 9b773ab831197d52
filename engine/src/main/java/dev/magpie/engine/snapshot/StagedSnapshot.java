package dev.magpie.engine.snapshot;

import dev.magpie.engine.text.ProductAnalyzer;
import dev.magpie.engine.text.TextIndex;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A version being built in a store's staging directory, holding the store's lock until it is
 * published or abandoned. Write it with {@link #writer(int)}, then {@link #publish()}; closing an
 * unpublished stage deletes its directory.
 */
public final class StagedSnapshot implements AutoCloseable {
  private final SnapshotStore store;
  private final Path dir;
  private final int version;
  private final FileChannel lock;
  private boolean published;

  StagedSnapshot(SnapshotStore store, Path dir, int version, FileChannel lock) {
    this.store = store;
    this.dir = dir;
    this.version = version;
    this.lock = lock;
  }

  /** The staging directory. */
  public Path dir() {
    return dir;
  }

  /** The version number it will be published as. */
  public int version() {
    return version;
  }

  /** The directory the version will have once published. */
  public Path publishedDir() {
    return store.root().resolve(SnapshotLayout.versionName(version));
  }

  /** A writer for this version's files. */
  public SnapshotWriter writer(int vectorDimension) throws IOException {
    return writer(vectorDimension, TextIndex.DEFAULT_STEMMING);
  }

  /** A writer for this version's files, analysing text with {@code stemming}. */
  public SnapshotWriter writer(int vectorDimension, ProductAnalyzer.Stemming stemming)
      throws IOException {
    SnapshotWriter writer = SnapshotWriter.create(dir, version, vectorDimension, stemming);
    writer.fileOps(store.fileOps());
    return writer;
  }

  /**
   * Verifies every file, renames the version into place and makes it live.
   *
   * @throws IOException if the version fails verification or a step fails; the store's CURRENT is
   *     then unchanged
   */
  public void publish() throws IOException {
    store.publish(this);
    published = true;
  }

  /** Whether {@link #publish()} succeeded. */
  public boolean isPublished() {
    return published;
  }

  /** Deletes the staging directory unless published, and releases the store's lock. */
  @Override
  public void close() throws IOException {
    try {
      if (!published) {
        SnapshotStore.deleteTree(dir);
      }
    } finally {
      lock.close();
    }
  }
}
