package dev.magpie.loader.input;

import dev.magpie.engine.catalog.CatalogLimits;
import dev.magpie.engine.catalog.InvalidFieldException;
import dev.magpie.engine.catalog.RejectReason;
import dev.magpie.engine.catalog.Rejection;
import java.io.IOException;
import java.io.InputStream;

/**
 * A text format read record by record: splits lines, rejects over-long lines and invalid UTF-8, lets
 * the format parse each record into the {@link #builder}, and hands items and rejections to a
 * {@link CatalogSink}. A record that cannot be parsed on the last line of a file that lacks a final
 * newline is reported as {@link RejectReason#TRUNCATED}.
 */
public abstract class LineCatalogReader extends CatalogReader {
  private static final long PROGRESS_EVERY_BYTES = 1 << 20;

  private final Utf8Decoder utf8 = new Utf8Decoder();

  /** A reader with these options. */
  protected LineCatalogReader(CatalogReadOptions options) {
    super(options);
  }

  @Override
  public final void read(CatalogSource source, CatalogSink sink) throws IOException {
    try (InputStream in = source.open()) {
      read(in, source.name(), sink);
    }
  }

  /**
   * Reads every record of {@code in}.
   *
   * @param source the name used in rejections (usually the file's path)
   */
  public final void read(InputStream in, String source, CatalogSink sink) throws IOException {
    LineReader lines = new LineReader(in);
    long nextProgress = PROGRESS_EVERY_BYTES;
    while (lines.next()) {
      if (lines.bytesRead() >= nextProgress) {
        sink.progress(lines.bytesRead());
        nextProgress = lines.bytesRead() + PROGRESS_EVERY_BYTES;
      }
      long line = lines.lineNumber();
      if (lines.tooLong()) {
        sink.reject(
            new Rejection(
                source, line, "row", null, RejectReason.FIELD_TOO_LONG,
                "row is " + lines.tooLongBytes() + " bytes, the limit is "
                    + CatalogLimits.MAX_RECORD_BYTES));
        continue;
      }
      if (lines.isBlank()) {
        continue;
      }
      String text;
      try {
        text = utf8.decode(lines.bytes(), lines.length());
      } catch (InvalidFieldException e) {
        sink.reject(Rejection.of(source, line, e));
        continue;
      }
      try {
        if (isHeader(line, text)) {
          continue;
        }
      } catch (IOException e) {
        throw new IOException(source + ":" + e.getMessage(), e);
      }
      while (needsContinuation(text) && lines.endedWithNewline()) {
        if (!lines.next() || lines.tooLong()) {
          break;
        }
        try {
          text = text + "\n" + utf8.decode(lines.bytes(), lines.length());
        } catch (InvalidFieldException e) {
          sink.reject(Rejection.of(source, line, e));
          text = null;
          break;
        }
      }
      if (text == null) {
        continue;
      }
      try {
        builder.reset();
        parse(text);
      } catch (InvalidFieldException e) {
        if (!lines.endedWithNewline() && e.reason() == RejectReason.MALFORMED) {
          e = new InvalidFieldException(
              e.field(), e.value(), RejectReason.TRUNCATED,
              "the last line has no newline and cannot be parsed, the file looks truncated ("
                  + e.getMessage() + ")");
        }
        sink.reject(Rejection.of(source, line, e));
        continue;
      }
      emit(sink, source, line);
    }
    sink.progress(lines.bytesRead());
  }

  /**
   * Whether the record starting at {@code line} is a header to skip; delimited formats read their
   * column names from it.
   */
  protected boolean isHeader(long line, String text) throws IOException {
    return false;
  }

  /** Whether {@code text} ends inside a quoted field and continues on the next line. */
  protected boolean needsContinuation(String text) {
    return false;
  }

  /** Parses one record into {@link #builder}; {@link #emit} builds and hands it on. */
  protected abstract void parse(String record) throws InvalidFieldException;
}
