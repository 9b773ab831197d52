package dev.magpie.engine.snapshot;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * Encodes an item's attributes as one value of a {@link dev.magpie.engine.store.StringColumn}.
 * Names are stored once in a dictionary and referenced by ordinal; values inline.
 *
 * <pre>
 *  varint  count
 *  count x ( varint name ordinal | varint value length | value, UTF-8 )
 * </pre>
 *
 * Varints are unsigned LEB128 (7 bits per byte, low bits first, high bit = more).
 */
public final class AttributeCodec {
  private AttributeCodec() {}

  /** Encodes {@code attributes}, mapping each name to its ordinal with {@code nameOrdinal}. */
  public static byte[] encode(Map<String, String> attributes, ToIntFunction<String> nameOrdinal) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 + attributes.size() * 16);
    writeVarint(out, attributes.size());
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      writeVarint(out, nameOrdinal.applyAsInt(e.getKey()));
      byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
      writeVarint(out, value.length);
      out.write(value, 0, value.length);
    }
    return out.toByteArray();
  }

  /**
   * Decodes attributes written by {@link #encode}.
   *
   * @throws IllegalStateException if the bytes are not a valid encoding (a damaged file)
   */
  public static Map<String, String> decode(MemorySegment bytes, IntFunction<String> name) {
    long[] pos = {0};
    int count = (int) readVarint(bytes, pos);
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      int ordinal = (int) readVarint(bytes, pos);
      int length = (int) readVarint(bytes, pos);
      if (length < 0 || pos[0] + length > bytes.byteSize()) {
        throw new IllegalStateException(
            "attribute value of " + length + " bytes overruns its record");
      }
      byte[] value = bytes.asSlice(pos[0], length).toArray(ValueLayout.JAVA_BYTE);
      pos[0] += length;
      attributes.put(name.apply(ordinal), new String(value, StandardCharsets.UTF_8));
    }
    return attributes;
  }

  private static void writeVarint(ByteArrayOutputStream out, int value) {
    int v = value;
    while ((v & ~0x7F) != 0) {
      out.write((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write(v);
  }

  private static long readVarint(MemorySegment bytes, long[] pos) {
    long result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (pos[0] >= bytes.byteSize()) {
        throw new IllegalStateException("attribute record ends inside a number");
      }
      byte b = bytes.get(ValueLayout.JAVA_BYTE, pos[0]++);
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw new IllegalStateException("attribute record has a number longer than 5 bytes");
  }
}
