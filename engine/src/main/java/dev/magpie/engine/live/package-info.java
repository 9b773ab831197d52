/**
 * The live layer: price, stock and availability changes and shoppers' events applied in place to an
 * open snapshot between snapshot builds, made durable first in an append-only write-ahead log
 * ({@link dev.magpie.engine.live.WriteAheadLog}) with group commit ({@link
 * dev.magpie.engine.live.GroupCommitter}), replayed at start, and folded into the next snapshot.
 */
package dev.magpie.engine.live;
