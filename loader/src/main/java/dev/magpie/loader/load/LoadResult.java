package dev.magpie.loader.load;

import dev.magpie.engine.catalog.RejectReason;
import dev.magpie.engine.snapshot.Manifest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What a load did.
 *
 * @param manifest the published version's manifest
 * @param versionDir the published version's directory
 * @param rowsRead non-blank records read
 * @param itemsLoaded items in the snapshot
 * @param rejected rejected rows by reason (only reasons that occurred)
 * @param elapsed wall time of the whole load
 */
public record LoadResult(
    Manifest manifest,
    Path versionDir,
    long rowsRead,
    long itemsLoaded,
    Map<RejectReason, Long> rejected,
    Duration elapsed) {

  /** Rejected rows over all reasons. */
  public long rejectedRows() {
    return rejected.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Snapshot bytes per item (0 for an empty catalog). */
  public double bytesPerItem() {
    return itemsLoaded == 0 ? 0 : (double) manifest.totalBytes() / itemsLoaded;
  }
}
