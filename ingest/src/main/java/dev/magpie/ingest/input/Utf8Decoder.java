package dev.magpie.ingest.input;

import dev.magpie.engine.catalog.InvalidFieldException;
import dev.magpie.engine.catalog.RejectReason;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding of one record, naming the byte offset of the first invalid sequence. */
public final class Utf8Decoder {
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private CharBuffer out = CharBuffer.allocate(1024);

  /** Decodes {@code bytes[offset, offset + length)} or throws naming where it is invalid. */
  public String decode(byte[] bytes, int offset, int length) throws InvalidFieldException {
    boolean ascii = true;
    for (int i = offset, end = offset + length; i < end; i++) {
      if (bytes[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }
    if (out.capacity() < length) {
      out = CharBuffer.allocate(Math.max(length, out.capacity() * 2));
    }
    out.clear();
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
    decoder.reset();
    CoderResult result = decoder.decode(in, out, true);
    if (result.isUnderflow()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int at = in.position() - offset;
      StringBuilder hex = new StringBuilder();
      for (int i = in.position();
          i < Math.min(offset + length, in.position() + result.length());
          i++) {
        hex.append(String.format("%02X", bytes[i] & 0xFF));
      }
      throw new InvalidFieldException(
          "row",
          "0x" + hex,
          RejectReason.INVALID_UTF8,
          "invalid UTF-8 at byte " + at + " of the row");
    }
    if (result.isOverflow()) {
      throw new IllegalStateException(new CharacterCodingException());
    }
    out.flip();
    return out.toString();
  }
}
