/**
 * Snapshots: immutable, versioned directories holding everything the engine serves, and the store
 * that publishes them atomically.
 *
 * <pre>
 *  store/                       a {@link dev.magpie.engine.snapshot.SnapshotStore}
 *    CURRENT                    "magpie-current/1 v000003 crc32c:...", replaced atomically
 *                               (write, fsync, rename, fsync dir); see {@link CurrentPointer}
 *    .lock                      held by the one process staging a new version
 *    .staging-v000004/          a version being built; never opened, removed when stale
 *    .deleting-v000001/         a pruned version being deleted; removed when stale
 *    v000003/                   a published {@link dev.magpie.engine.snapshot.Snapshot}
 *      manifest.json            written last: counts, build parameters, length and CRC32C per file
 *      items/                   {@link dev.magpie.engine.snapshot.ItemStore}: columns by item ordinal
 *      text/                    the Lucene index (document id = item ordinal)
 *      knowledge/knowledge.json relations, occasions, synonyms, rewrites
 *      vectors/vectors.f32      the catalog's own vectors, when it brings them
 * </pre>
 *
 * A version is published only after it has been opened and every checksum verified, so a crash or a
 * corrupt build at any moment leaves CURRENT naming the last good version.
 */
package dev.magpie.engine.snapshot;
