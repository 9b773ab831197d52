package dev.magpie.engine.snapshot;

/**
 * How to open a snapshot.
 *
 * @param verifyChecksums compute the CRC32C of every file on open (reads every byte once; on by
 *     default). Without it, headers, footers, lengths and stored checksums are still compared with
 *     the manifest.
 */
public record SnapshotOpenOptions(boolean verifyChecksums) {
  /** Full verification. */
  public static final SnapshotOpenOptions DEFAULT = new SnapshotOpenOptions(true);
}
