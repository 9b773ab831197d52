package dev.magpie.ingest.input;

import dev.magpie.engine.catalog.CatalogLimits;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding them, counting line numbers and bytes consumed.
 * Handles LF and CRLF endings, a UTF-8 byte-order mark at the start, and a last line with no
 * newline (reported by {@link #endedWithNewline()}, so readers can call an unparseable last line
 * truncated). A line longer than {@link CatalogLimits#MAX_RECORD_BYTES} is skipped to its end
 * without being buffered and reported through {@link #tooLong()}.
 *
 * <p>One instance reads one stream; the current line's bytes are valid until the next call to
 * {@link #next()}. Not thread-safe.
 */
public final class LineReader {
  private static final int CHUNK = 1 << 16;

  private final InputStream in;
  private final int maxLineBytes;
  private final byte[] chunk = new byte[CHUNK];
  private int chunkPos;
  private int chunkLen;
  private byte[] line = new byte[256];
  private int lineLen;
  private long lineNumber;
  private long bytesRead;
  private boolean endedWithNewline;
  private boolean tooLong;
  private long tooLongBytes;
  private boolean eof;
  private boolean first = true;

  /** Reads {@code in} with the default record limit. */
  public LineReader(InputStream in) {
    this(in, CatalogLimits.MAX_RECORD_BYTES);
  }

  /** Reads {@code in}, skipping lines longer than {@code maxLineBytes}. */
  public LineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * Advances to the next line.
   *
   * @return false at the end of the stream
   */
  public boolean next() throws IOException {
    lineLen = 0;
    tooLong = false;
    tooLongBytes = 0;
    endedWithNewline = false;
    boolean any = false;
    while (true) {
      if (chunkPos == chunkLen) {
        if (eof || !fill()) {
          break;
        }
      }
      any = true;
      int start = chunkPos;
      int end = start;
      while (end < chunkLen && chunk[end] != '\n') {
        end++;
      }
      append(start, end - start);
      if (end < chunkLen) {
        chunkPos = end + 1;
        bytesRead += 1;
        endedWithNewline = true;
        break;
      }
      chunkPos = chunkLen;
    }
    if (!any) {
      return false;
    }
    lineNumber++;
    if (!tooLong && lineLen > 0 && line[lineLen - 1] == '\r') {
      lineLen--;
    }
    if (first) {
      first = false;
      if (!tooLong
          && lineLen >= 3
          && (line[0] & 0xFF) == 0xEF
          && (line[1] & 0xFF) == 0xBB
          && (line[2] & 0xFF) == 0xBF) {
        System.arraycopy(line, 3, line, 0, lineLen - 3);
        lineLen -= 3;
      }
    }
    return true;
  }

  private boolean fill() throws IOException {
    int n = in.read(chunk, 0, CHUNK);
    if (n <= 0) {
      eof = true;
      chunkPos = chunkLen = 0;
      return false;
    }
    chunkPos = 0;
    chunkLen = n;
    return true;
  }

  private void append(int start, int length) {
    bytesRead += length;
    if (tooLong) {
      tooLongBytes += length;
      return;
    }
    if (lineLen + length > maxLineBytes) {
      tooLong = true;
      tooLongBytes = (long) lineLen + length;
      lineLen = 0;
      return;
    }
    if (lineLen + length > line.length) {
      line = Arrays.copyOf(line, Math.max(lineLen + length, line.length * 2));
    }
    System.arraycopy(chunk, start, line, lineLen, length);
    lineLen += length;
  }

  /** The current line's bytes, without its line ending; valid until {@link #next()}. */
  public byte[] bytes() {
    return line;
  }

  /** Length of the current line in bytes (0 when {@link #tooLong()}). */
  public int length() {
    return lineLen;
  }

  /** 1-based number of the current line. */
  public long lineNumber() {
    return lineNumber;
  }

  /** Whether the current line ended with a newline (false only for a last line without one). */
  public boolean endedWithNewline() {
    return endedWithNewline;
  }

  /** Whether the current line exceeded the limit and was skipped. */
  public boolean tooLong() {
    return tooLong;
  }

  /** The skipped line's length in bytes when {@link #tooLong()}. */
  public long tooLongBytes() {
    return tooLongBytes;
  }

  /** Bytes consumed from the stream so far. */
  public long bytesRead() {
    return bytesRead;
  }

  /** Whether the current line holds only white space. */
  public boolean isBlank() {
    for (int i = 0; i < lineLen; i++) {
      byte b = line[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return !tooLong;
  }
}
