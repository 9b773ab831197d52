/**
 * Durable files: the header, parameter block and checksummed footer every Magpie file carries
 * ({@link dev.magpie.engine.io.FileFormat}), a streaming writer that computes the checksum as it
 * goes ({@link dev.magpie.engine.io.ChecksummedFileWriter}), a reader that maps a file off-heap and
 * verifies it before anyone reads it ({@link dev.magpie.engine.io.MappedFile}), and the small file
 * system facade through which the snapshot store renames and syncs, so tests can make those fail.
 */
package dev.magpie.engine.io;
