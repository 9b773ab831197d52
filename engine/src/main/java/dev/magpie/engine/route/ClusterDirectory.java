package dev.magpie.engine.route;

import dev.magpie.engine.shard.Shard;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory holding every shard of a catalog, as {@code magpie load --shards S --out DIR} writes
 * it: one snapshot store per shard, {@code shard-0000} to {@code shard-NNNN}. Opening it checks
 * that the shards are all there and belong together: each records its own number, the same count,
 * and the same build.
 */
public final class ClusterDirectory {
  private static final Pattern SHARD_DIR = Pattern.compile("shard-(\\d{4,5})");

  private ClusterDirectory() {}

  /** Shard {@code shard}'s store in a cluster directory {@code dir}. */
  public static Path shardStore(Path dir, int shard) {
    return dir.resolve(String.format(Locale.ROOT, "shard-%04d", shard));
  }

  /** Whether {@code dir} looks like a cluster directory: it holds {@code shard-0000}. */
  public static boolean isCluster(Path dir) {
    return Files.isDirectory(shardStore(dir, 0));
  }

  /**
   * Opens the current version of every shard in {@code dir}, in shard order.
   *
   * @throws IOException naming what is missing or inconsistent
   */
  public static List<Snapshot> open(Path dir) throws IOException {
    int stores;
    try (Stream<Path> entries = Files.list(dir)) {
      stores =
          (int)
              entries.filter(p -> SHARD_DIR.matcher(p.getFileName().toString()).matches()).count();
    }
    if (stores == 0) {
      throw new IOException(dir + ": no shard-NNNN stores (write them with magpie load --shards)");
    }
    List<Snapshot> open = new ArrayList<>();
    boolean success = false;
    try {
      String build = null;
      for (int i = 0; i < stores; i++) {
        Path store = shardStore(dir, i);
        if (!Files.isDirectory(store)) {
          throw new IOException(store + ": missing (" + stores + " shard stores in " + dir + ")");
        }
        Snapshot snapshot = SnapshotStore.open(store).openCurrent();
        open.add(snapshot);
        Shard shard = Shard.of(snapshot.manifest().build());
        if (shard == null || shard.index() != i || shard.count() != stores) {
          throw new IOException(
              snapshot.dir()
                  + ": is "
                  + (shard == null ? "not a shard" : shard)
                  + ", expected shard "
                  + i
                  + "/"
                  + stores);
        }
        if (build != null && !build.equals(shard.build())) {
          throw new IOException(
              snapshot.dir()
                  + ": built by load "
                  + shard.build()
                  + ", shard 0 by "
                  + build
                  + ": the shards must come from one load");
        }
        build = shard.build();
      }
      success = true;
      return open;
    } finally {
      if (!success) {
        for (Snapshot s : open) {
          s.close();
        }
      }
    }
  }
}
