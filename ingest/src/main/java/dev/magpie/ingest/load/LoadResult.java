package dev.magpie.ingest.load;

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
 * @param eventsLoaded behaviour events in the snapshot's model and histories
 * @param eventsRejected events rejected, by reason (only reasons that occurred)
 * @param users users with at least one loaded event
 */
public record LoadResult(
    Manifest manifest,
    Path versionDir,
    long rowsRead,
    long itemsLoaded,
    Map<RejectReason, Long> rejected,
    Duration elapsed,
    long eventsLoaded,
    Map<RejectReason, Long> eventsRejected,
    long users) {

  /** Copies the maps. */
  public LoadResult {
    rejected = Map.copyOf(rejected);
    eventsRejected = Map.copyOf(eventsRejected);
  }

  /** Rejected events over all reasons. */
  public long rejectedEvents() {
    return eventsRejected.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Rejected rows over all reasons. */
  public long rejectedRows() {
    return rejected.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Snapshot bytes per item (0 for an empty catalog). */
  public double bytesPerItem() {
    return itemsLoaded == 0 ? 0 : (double) manifest.totalBytes() / itemsLoaded;
  }
}
