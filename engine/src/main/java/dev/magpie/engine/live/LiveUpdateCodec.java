package dev.magpie.engine.live;

import dev.magpie.engine.behaviour.EventType;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The payloads of {@link WriteAheadLog} records, little-endian; a string is its UTF-8 length (int32)
 * then its bytes.
 *
 * <pre>
 *  type 1  item change   id str | price minor int64 (-1 keep) | currency str ("" keep)
 *                        | stock int32 (MIN_VALUE keep) | availability int8 (0 keep, 1 list, 2 withdraw)
 *  type 2  event         user str | item id str | event type int8 (EventType ordinal) | epoch seconds int64
 * </pre>
 */
final class LiveUpdateCodec {
  /** Record type of an {@link LiveUpdate.ItemChange}. */
  static final byte ITEM_CHANGE = 1;
  /** Record type of an {@link LiveUpdate.Event}. */
  static final byte EVENT = 2;

  private static final LiveUpdate.Availability[] AVAILABILITY = LiveUpdate.Availability.values();
  private static final EventType[] EVENT_TYPES = EventType.values();

  private LiveUpdateCodec() {}

  /** The record type of {@code update}. */
  static byte type(LiveUpdate update) {
    return switch (update) {
      case LiveUpdate.ItemChange c -> ITEM_CHANGE;
      case LiveUpdate.Event e -> EVENT;
    };
  }

  /** Bytes {@link #encode} writes for {@code update}. */
  static int length(LiveUpdate update) {
    return switch (update) {
      case LiveUpdate.ItemChange c -> utf8(c.itemId()) + 8 + utf8(c.currency()) + 4 + 1;
      case LiveUpdate.Event e -> utf8(e.user()) + utf8(e.itemId()) + 1 + 8;
    };
  }

  /** Writes {@code update}'s payload at {@code out}'s position. */
  static void encode(LiveUpdate update, ByteBuffer out) {
    switch (update) {
      case LiveUpdate.ItemChange c -> {
        putString(out, c.itemId());
        out.putLong(c.priceMinor());
        putString(out, c.currency());
        out.putInt(c.stock());
        out.put((byte) c.availability().ordinal());
      }
      case LiveUpdate.Event e -> {
        putString(out, e.user());
        putString(out, e.itemId());
        out.put((byte) e.type().ordinal());
        out.putLong(e.epochSeconds());
      }
    }
  }

  /**
   * Reads a payload of record type {@code type} filling {@code in}'s remaining bytes exactly.
   *
   * @throws IllegalArgumentException naming what is wrong: unknown type, bad value, bytes left over
   */
  static LiveUpdate decode(byte type, ByteBuffer in) {
    try {
      LiveUpdate update = switch (type) {
        case ITEM_CHANGE -> new LiveUpdate.ItemChange(
            getString(in), in.getLong(), getString(in), in.getInt(), AVAILABILITY[index(in.get(), AVAILABILITY.length)]);
        case EVENT -> new LiveUpdate.Event(
            getString(in), getString(in), EVENT_TYPES[index(in.get(), EVENT_TYPES.length)], in.getLong());
        default -> throw new IllegalArgumentException("unknown record type " + type + " (written by a newer Magpie?)");
      };
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " bytes left after a record of type " + type);
      }
      return update;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("record of type " + type + " ends early");
    }
  }

  private static int index(byte value, int bound) {
    if (value < 0 || value >= bound) {
      throw new IllegalArgumentException("enum value " + value + " outside 0.." + (bound - 1));
    }
    return value;
  }

  private static int utf8(String s) {
    return 4 + s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static void putString(ByteBuffer out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.putInt(bytes.length);
    out.put(bytes);
  }

  private static String getString(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("string of " + length + " bytes, " + in.remaining() + " left");
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
