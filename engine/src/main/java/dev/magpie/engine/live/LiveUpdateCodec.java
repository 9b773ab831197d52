package dev.magpie.engine.live;

import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.catalog.Item;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The payloads of {@link WriteAheadLog} records, little-endian; a string is its UTF-8 length
 * (int32) then its bytes.
 *
 * <pre>
 *  type 1  item change   id str | price minor int64 (-1 keep) | currency str ("" keep)
 *                        | stock int32 (MIN_VALUE keep) | availability int8 (0 keep, 1 list, 2 withdraw)
 *  type 2  event         user str | item id str | event type int8 (EventType ordinal) | epoch seconds int64
 *  type 3  new item      id str | title str | description str | brand str | category path str
 *                        | price minor int64 (-1 none) | currency str | stock int32 (-1 unknown)
 *                        | rating float32 (NaN none) | sponsored int8 (0, 1)
 *                        | attribute count int32 | (name str | value str) * count
 *                        | vector dimension int32 (0 none) | float32 * dimension
 * </pre>
 */
final class LiveUpdateCodec {
  /** Record type of an {@link LiveUpdate.ItemChange}. */
  static final byte ITEM_CHANGE = 1;

  /** Record type of an {@link LiveUpdate.Event}. */
  static final byte EVENT = 2;

  /** Record type of a {@link LiveUpdate.NewItem}. */
  static final byte NEW_ITEM = 3;

  private static final LiveUpdate.Availability[] AVAILABILITY = LiveUpdate.Availability.values();
  private static final EventType[] EVENT_TYPES = EventType.values();

  private LiveUpdateCodec() {}

  /** The record type of {@code update}. */
  static byte type(LiveUpdate update) {
    return switch (update) {
      case LiveUpdate.ItemChange c -> ITEM_CHANGE;
      case LiveUpdate.Event e -> EVENT;
      case LiveUpdate.NewItem n -> NEW_ITEM;
    };
  }

  /** Bytes {@link #encode} writes for {@code update}. */
  static int length(LiveUpdate update) {
    return switch (update) {
      case LiveUpdate.ItemChange c -> utf8(c.itemId()) + 8 + utf8(c.currency()) + 4 + 1;
      case LiveUpdate.Event e -> utf8(e.user()) + utf8(e.itemId()) + 1 + 8;
      case LiveUpdate.NewItem n -> length(n.item());
    };
  }

  private static int length(Item item) {
    int length =
        utf8(item.externalId())
            + utf8(item.title())
            + utf8(item.description())
            + utf8(item.brand())
            + utf8(item.categoryPath())
            + 8
            + utf8(item.currency())
            + 4
            + 4
            + 1
            + 4
            + 4;
    for (Map.Entry<String, String> a : item.attributes().entrySet()) {
      length += utf8(a.getKey()) + utf8(a.getValue());
    }
    return length + (item.hasVector() ? 4 * item.vector().length : 0);
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
      case LiveUpdate.NewItem n -> encode(n.item(), out);
    }
  }

  private static void encode(Item item, ByteBuffer out) {
    putString(out, item.externalId());
    putString(out, item.title());
    putString(out, item.description());
    putString(out, item.brand());
    putString(out, item.categoryPath());
    out.putLong(item.priceMinor());
    putString(out, item.currency());
    out.putInt(item.stock());
    out.putFloat(item.rating());
    out.put((byte) (item.sponsored() ? 1 : 0));
    out.putInt(item.attributes().size());
    for (Map.Entry<String, String> a : item.attributes().entrySet()) {
      putString(out, a.getKey());
      putString(out, a.getValue());
    }
    float[] vector = item.hasVector() ? item.vector() : new float[0];
    out.putInt(vector.length);
    for (float v : vector) {
      out.putFloat(v);
    }
  }

  private static Item decodeItem(ByteBuffer in) {
    String id = getString(in);
    String title = getString(in);
    String description = getString(in);
    String brand = getString(in);
    String category = getString(in);
    long price = in.getLong();
    String currency = getString(in);
    int stock = in.getInt();
    float rating = in.getFloat();
    byte sponsored = in.get();
    int attributeCount = count(in.getInt(), in.remaining() / 8, "attributes");
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < attributeCount; i++) {
      attributes.put(getString(in), getString(in));
    }
    int dimension = count(in.getInt(), in.remaining() / 4, "vector dimensions");
    float[] vector = null;
    if (dimension > 0) {
      vector = new float[dimension];
      for (int i = 0; i < dimension; i++) {
        vector[i] = in.getFloat();
      }
    }
    if (sponsored != 0 && sponsored != 1) {
      throw new IllegalArgumentException("sponsored flag " + sponsored);
    }
    return new Item(
        id,
        title,
        description,
        brand,
        category,
        price,
        currency,
        stock,
        rating,
        attributes,
        vector,
        sponsored == 1);
  }

  private static int count(int value, int most, String what) {
    if (value < 0 || value > most) {
      throw new IllegalArgumentException(value + " " + what + ", room for at most " + most);
    }
    return value;
  }

  /**
   * Reads a payload of record type {@code type} filling {@code in}'s remaining bytes exactly.
   *
   * @throws IllegalArgumentException naming what is wrong: unknown type, bad value, bytes left over
   */
  static LiveUpdate decode(byte type, ByteBuffer in) {
    try {
      LiveUpdate update =
          switch (type) {
            case ITEM_CHANGE ->
                new LiveUpdate.ItemChange(
                    getString(in),
                    in.getLong(),
                    getString(in),
                    in.getInt(),
                    AVAILABILITY[index(in.get(), AVAILABILITY.length)]);
            case EVENT ->
                new LiveUpdate.Event(
                    getString(in),
                    getString(in),
                    EVENT_TYPES[index(in.get(), EVENT_TYPES.length)],
                    in.getLong());
            case NEW_ITEM -> new LiveUpdate.NewItem(decodeItem(in));
            default ->
                throw new IllegalArgumentException(
                    "unknown record type " + type + " (written by a newer Magpie?)");
          };
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(
            in.remaining() + " bytes left after a record of type " + type);
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
      throw new IllegalArgumentException(
          "string of " + length + " bytes, " + in.remaining() + " left");
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
