/**
 * The live layer: price, stock and availability changes, new items and shoppers' events applied to
 * an open snapshot between snapshot builds, each committed batch published as its next view ({@link
 * dev.magpie.engine.snapshot.Views}), made durable first in an append-only write-ahead log ({@link
 * dev.magpie.engine.live.WriteAheadLog}) with group commit ({@link
 * dev.magpie.engine.live.GroupCommitter}), replayed at start, and folded into the next snapshot.
 */
package dev.magpie.engine.live;
