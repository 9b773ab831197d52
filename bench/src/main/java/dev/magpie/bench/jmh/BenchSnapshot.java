package dev.magpie.bench.jmh;

import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import java.io.IOException;
import java.nio.file.Path;

/** The snapshot a benchmark runs on: {@code -Dmagpie.bench.snapshot=DIR}, a store or a version. */
final class BenchSnapshot {
  private BenchSnapshot() {}

  /**
   * Opens the snapshot named by the property.
   *
   * @param benchmark the benchmark's name on the command line ("Recommend")
   * @param needs what the snapshot must have been loaded with, for the message when none is given
   * @throws IllegalStateException saying how to give one when the property is unset
   */
  static Snapshot open(String benchmark, String needs) throws IOException {
    String dir = System.getProperty("magpie.bench.snapshot");
    if (dir == null) {
      throw new IllegalStateException(
          "give the snapshot: MAGPIE_JAVA_OPTS=-Dmagpie.bench.snapshot=DIR magpie jmh "
              + benchmark
              + " ("
              + needs
              + ")");
    }
    return Snapshot.open(SnapshotStore.resolveVersionDir(Path.of(dir)));
  }
}
