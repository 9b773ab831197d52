package dev.magpie.ingest.input;

import dev.magpie.engine.catalog.InvalidFieldException;
import dev.magpie.engine.catalog.RejectReason;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Reads CSV (RFC 4180: fields in double quotes may hold commas, quotes doubled, and newlines) and
 * TSV (no quoting: a quote is an ordinary character, as in "12 in." titles). Columns are mapped to
 * fields by a header row or by {@link CatalogReadOptions#columns()}: a {@link CatalogField} name,
 * "-" to skip, "attr.NAME" or any other name for a free attribute. Every row must have as many
 * columns as the mapping.
 */
public final class DelimitedCatalogReader extends LineCatalogReader {
  private static final String SKIP = "-";
  private static final String ATTRIBUTE_PREFIX = "attr.";

  private final char delimiter;
  private final boolean quoted;
  private Column[] columns;

  private record Column(CatalogField field, String attribute) {}

  /**
   * @param delimiter the column separator
   * @param quoted whether double quotes quote fields (CSV) or are ordinary characters (TSV)
   */
  public DelimitedCatalogReader(CatalogReadOptions options, char delimiter, boolean quoted) {
    super(options);
    this.delimiter = delimiter;
    this.quoted = quoted;
    if (options.columns() != null) {
      columns = mapping(options.columns());
    }
  }

  private DelimitedCatalogReader(DelimitedCatalogReader prototype) {
    super(prototype.options);
    this.delimiter = prototype.delimiter;
    this.quoted = prototype.quoted;
    this.columns = prototype.columns;
  }

  @Override
  protected LineCatalogReader fork() {
    return new DelimitedCatalogReader(this);
  }

  @Override
  protected boolean needsHeader() {
    return columns == null;
  }

  private static Column[] mapping(List<String> names) {
    Column[] mapped = new Column[names.size()];
    boolean hasId = false;
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).strip();
      if (name.isEmpty() || name.equals(SKIP)) {
        mapped[i] = null;
      } else if (name.toLowerCase(Locale.ROOT).startsWith(ATTRIBUTE_PREFIX)) {
        mapped[i] = new Column(null, name.substring(ATTRIBUTE_PREFIX.length()));
      } else {
        CatalogField field = CatalogField.byName(name);
        mapped[i] = field == null ? new Column(null, name) : new Column(field, null);
        hasId |= field == CatalogField.ID;
      }
    }
    if (!hasId) {
      throw new IllegalArgumentException(
          "the columns "
              + names
              + " name no id column (one of id, item_id, product_id, product_uid, sku)");
    }
    return mapped;
  }

  @Override
  protected boolean isHeader(String text) throws IOException {
    if (columns == null) {
      try {
        columns = mapping(split(text));
      } catch (InvalidFieldException e) {
        throw new IOException("the header cannot be read: " + e.getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw new IOException(e.getMessage() + "; give --columns to map them", e);
      }
      return true;
    }
    return options.skipHeader();
  }

  /**
   * Tracks quotes at byte level: '"' and the delimiter are ASCII, never inside a UTF-8 sequence.
   */
  @Override
  protected boolean needsContinuation(byte[] bytes, int length) {
    if (!quoted) {
      return false;
    }
    boolean inQuotes = false;
    boolean fieldStart = true;
    for (int i = 0; i < length; i++) {
      byte c = bytes[i];
      if (inQuotes) {
        if (c == '"') {
          if (i + 1 < length && bytes[i + 1] == '"') {
            i++;
          } else {
            inQuotes = false;
          }
        }
      } else if (c == '"' && fieldStart) {
        inQuotes = true;
        fieldStart = false;
      } else {
        fieldStart = c == delimiter;
      }
    }
    return inQuotes;
  }

  @Override
  protected void parse(String record) throws InvalidFieldException {
    List<String> values = split(record);
    if (columns == null) {
      throw new InvalidFieldException("row", null, RejectReason.MALFORMED, "no column mapping");
    }
    if (values.size() != columns.length) {
      throw new InvalidFieldException(
          "row",
          null,
          RejectReason.MALFORMED,
          "row has " + values.size() + " columns, expected " + columns.length);
    }
    for (int i = 0; i < columns.length; i++) {
      Column column = columns[i];
      if (column == null) {
        continue;
      }
      String value = values.get(i);
      if (column.field() != null) {
        set(column.field(), value);
      } else if (!value.isBlank()) {
        builder.attribute(column.attribute(), text(value));
      }
    }
  }

  /** Splits one record into its field values, unquoting CSV fields. */
  List<String> split(String record) throws InvalidFieldException {
    return DelimitedFields.split(record, delimiter, quoted);
  }
}
