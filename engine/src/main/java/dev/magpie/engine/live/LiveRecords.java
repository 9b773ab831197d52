package dev.magpie.engine.live;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Live updates as the records of an update stream outside the write-ahead log (a Kafka topic): the
 * same payloads as {@link WriteAheadLog} records ({@link LiveUpdateCodec}), behind a format version
 * and the record type, so that a reader can tell a record it cannot read from a damaged one. The
 * stream's own framing carries the checksum.
 *
 * <pre>
 * +---------+------+-----------------------------------+
 * | version | type | payload (LiveUpdateCodec, LE)      |
 * | 1 byte  | 1 B  | ...                                |
 * +---------+------+-----------------------------------+
 * </pre>
 */
public final class LiveRecords {
  /** The record format this build writes and reads. */
  public static final byte VERSION = 1;

  private LiveRecords() {}

  /** {@code update} as one record. */
  public static byte[] encode(LiveUpdate update) {
    ByteBuffer out =
        ByteBuffer.allocate(2 + LiveUpdateCodec.length(update)).order(ByteOrder.LITTLE_ENDIAN);
    out.put(VERSION).put(LiveUpdateCodec.type(update));
    LiveUpdateCodec.encode(update, out);
    return out.array();
  }

  /**
   * The update {@code record} holds.
   *
   * @throws IllegalArgumentException saying what is wrong: empty, another format version, an
   *     unknown type, a payload that ends early or runs on, a value out of range
   */
  public static LiveUpdate decode(byte[] record) {
    if (record == null || record.length < 2) {
      throw new IllegalArgumentException(
          "record of " + (record == null ? 0 : record.length) + " bytes: too short for a header");
    }
    if (record[0] != VERSION) {
      throw new IllegalArgumentException(
          "record format " + record[0] + ", this build reads " + VERSION + " (a newer writer?)");
    }
    ByteBuffer in = ByteBuffer.wrap(record, 2, record.length - 2).order(ByteOrder.LITTLE_ENDIAN);
    try {
      return LiveUpdateCodec.decode(record[1], in.slice().order(ByteOrder.LITTLE_ENDIAN));
    } catch (RuntimeException e) {
      throw e instanceof IllegalArgumentException iae
          ? iae
          : new IllegalArgumentException("unreadable record: " + e, e);
    }
  }
}
