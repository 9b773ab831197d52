/**
 * Off-heap, memory-mapped building blocks of a snapshot, each with a writer that streams it to disk
 * and a reader that maps it without copying: fixed-width columns indexed by item ordinal ({@link
 * dev.magpie.engine.store.FixedWidthColumn}), variable-length UTF-8 values ({@link
 * dev.magpie.engine.store.StringColumn}) and a hash index from a string to its ordinal ({@link
 * dev.magpie.engine.store.StringHashIndex}). Every file uses the {@link
 * dev.magpie.engine.io.FileFormat} envelope.
 */
package dev.magpie.engine.store;
