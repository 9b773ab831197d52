package dev.magpie.ingest.input;

import dev.magpie.engine.catalog.InvalidFieldException;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.catalog.ItemBuilder;
import dev.magpie.engine.catalog.RejectReason;
import dev.magpie.engine.catalog.Rejection;
import java.io.IOException;

/**
 * Reads one catalog source into a {@link CatalogSink}: each record becomes a valid item or a
 * precise rejection. Subclasses handle a format; this base holds what every format shares: the
 * options, the {@link ItemBuilder} reused for every record, setting fields from their text, and the
 * in-order delivery that fixes the vector dimension from the first accepted vector.
 */
public abstract class CatalogReader {
  /** The options in force. */
  protected final CatalogReadOptions options;

  /** Reused for every record; reset before each. */
  protected final ItemBuilder builder;

  /** The vectors' dimension: declared, or fixed by the first accepted vector; 0 until then. */
  private int dimension;

  /** A reader with these options. */
  protected CatalogReader(CatalogReadOptions options) {
    this.options = options;
    this.builder = new ItemBuilder(options.defaultCurrency());
    if (options.vectorDimension() > 0) {
      builder.expectDimension(options.vectorDimension());
      dimension = options.vectorDimension();
    }
  }

  /** A reader for {@code format}. */
  public static CatalogReader forFormat(CatalogFormat format, CatalogReadOptions options) {
    return switch (format) {
      case JSONL -> new JsonlCatalogReader(options);
      case CSV -> new DelimitedCatalogReader(options, ',', true);
      case TSV -> new DelimitedCatalogReader(options, '\t', false);
      case PARQUET -> new ParquetCatalogReader(options);
    };
  }

  /**
   * Reads every record of {@code source}.
   *
   * @throws IOException when the source as a whole cannot be read (rows that cannot are rejected)
   */
  public abstract void read(CatalogSource source, CatalogSink sink) throws IOException;

  /** Builds the item from {@link #builder} and delivers it, or hands on the rejection. */
  protected final void emit(CatalogSink sink, String source, long line) throws IOException {
    Item item;
    try {
      item = builder.build();
    } catch (InvalidFieldException e) {
      sink.reject(Rejection.of(source, line, e));
      return;
    }
    deliver(sink, item, source, line);
  }

  /**
   * Hands a valid item to the sink after the one check that spans rows: every vector must have the
   * dimension declared in the options or, failing that, of the first vector the sink accepted.
   * Items must be delivered in input order, from one thread.
   */
  protected final void deliver(CatalogSink sink, Item item, String source, long line)
      throws IOException {
    if (item.hasVector() && dimension != 0 && item.vector().length != dimension) {
      int got = item.vector().length;
      sink.reject(
          new Rejection(
              source,
              line,
              "vector",
              "[" + got + " values]",
              RejectReason.BAD_VECTOR,
              "vector dimension " + got + ", expected " + dimension));
      return;
    }
    if (sink.accept(item, source, line) && item.hasVector() && dimension == 0) {
      dimension = item.vector().length;
    }
  }

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
      case SPONSORED -> builder.sponsored(value);
      case VECTOR -> builder.vector(VectorText.parse(value));
      case ATTRIBUTES ->
          throw new InvalidFieldException(
              "attributes",
              value,
              RejectReason.BAD_ATTRIBUTE,
              "attributes must be a JSON object; in CSV/TSV give each attribute its own column");
    }
  }
}
