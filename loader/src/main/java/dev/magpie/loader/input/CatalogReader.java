package dev.magpie.loader.input;

import dev.magpie.engine.catalog.CatalogLimits;
import dev.magpie.engine.catalog.InvalidFieldException;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.catalog.ItemBuilder;
import dev.magpie.engine.catalog.RejectReason;
import dev.magpie.engine.catalog.Rejection;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads one catalog stream record by record: splits lines, rejects over-long lines and invalid UTF-8,
 * lets the format parse each record into an {@link ItemBuilder}, and hands items and rejections to a
 * {@link CatalogSink}. A record that cannot be parsed on the last line of a file that lacks a final
 * newline is reported as {@link RejectReason#TRUNCATED}.
 */
public abstract class CatalogReader {
  private static final long PROGRESS_EVERY_BYTES = 1 << 20;

  /** The options in force. */
  protected final CatalogReadOptions options;

  /** Reused for every record; reset before each. */
  protected final ItemBuilder builder;

  private final Utf8Decoder utf8 = new Utf8Decoder();
  private boolean dimensionKnown;

  /** A reader with these options. */
  protected CatalogReader(CatalogReadOptions options) {
    this.options = options;
    this.builder = new ItemBuilder(options.defaultCurrency());
    if (options.vectorDimension() > 0) {
      builder.expectDimension(options.vectorDimension());
      dimensionKnown = true;
    }
  }

  /** A reader for {@code format}. */
  public static CatalogReader forFormat(CatalogFormat format, CatalogReadOptions options) {
    return switch (format) {
      case JSONL -> new JsonlCatalogReader(options);
      case CSV -> new DelimitedCatalogReader(options, ',', true);
      case TSV -> new DelimitedCatalogReader(options, '\t', false);
    };
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
      Item item;
      try {
        builder.reset();
        parse(text);
        item = builder.build();
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
      if (sink.accept(item, source, line) && item.hasVector() && !dimensionKnown) {
        builder.expectDimension(item.vector().length);
        dimensionKnown = true;
      }
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

  /** Parses one record into {@link #builder}. */
  protected abstract void parse(String record) throws InvalidFieldException;

  /** A text field's value as stored: entities decoded if so configured. */
  protected final String text(String value) {
    return options.decodeHtmlEntities() && value != null ? HtmlEntities.decode(value) : value;
  }

  /** Sets {@code field} from its text value. */
  protected final void set(CatalogField field, String value) throws InvalidFieldException {
    switch (field) {
      case ID -> builder.id(value);
      case TITLE -> builder.title(text(value));
      case DESCRIPTION -> builder.description(text(value));
      case BRAND -> builder.brand(text(value));
      case CATEGORY -> builder.category(text(value));
      case PRICE -> builder.price(value);
      case PRICE_MINOR -> {
        if (value != null && !value.isBlank()) {
          try {
            builder.priceMinor(Long.parseLong(value.strip()));
          } catch (NumberFormatException e) {
            throw new InvalidFieldException(
                "price_minor", value, RejectReason.BAD_PRICE, "price_minor is not a whole number");
          }
        }
      }
      case CURRENCY -> builder.currency(value);
      case STOCK -> builder.stock(value);
      case RATING -> builder.rating(value);
      case VECTOR -> builder.vector(VectorText.parse(value));
      case ATTRIBUTES ->
          throw new InvalidFieldException(
              "attributes", value, RejectReason.BAD_ATTRIBUTE,
              "attributes must be a JSON object; in CSV/TSV give each attribute its own column");
    }
  }
}
