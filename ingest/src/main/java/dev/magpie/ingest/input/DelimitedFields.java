package dev.magpie.ingest.input;

import dev.magpie.engine.catalog.InvalidFieldException;
import dev.magpie.engine.catalog.RejectReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one delimited record into its field values: CSV (RFC 4180: a field in double quotes may
 * hold the delimiter, quotes doubled) when quoted, else a plain split (TSV, where a quote is an
 * ordinary character).
 */
public final class DelimitedFields {
  private DelimitedFields() {}

  /**
   * The fields of {@code record}.
   *
   * @throws InvalidFieldException (MALFORMED) for a quoted field that is not closed, or text after
   *     a closing quote
   */
  public static List<String> split(String record, char delimiter, boolean quoted)
      throws InvalidFieldException {
    List<String> fields = new ArrayList<>();
    if (!quoted) {
      int start = 0;
      for (int i = 0; i <= record.length(); i++) {
        if (i == record.length() || record.charAt(i) == delimiter) {
          fields.add(record.substring(start, i));
          start = i + 1;
        }
      }
      return fields;
    }
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = record.length();
    while (true) {
      field.setLength(0);
      if (i < n && record.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new InvalidFieldException(
                "row", null, RejectReason.MALFORMED, "a quoted field is not closed");
          }
          char c = record.charAt(i++);
          if (c == '"') {
            if (i < n && record.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(c);
          }
        }
        if (i < n && record.charAt(i) != delimiter) {
          throw new InvalidFieldException(
              "row", null, RejectReason.MALFORMED, "text after a closing quote at character " + i);
        }
      } else {
        while (i < n && record.charAt(i) != delimiter) {
          field.append(record.charAt(i++));
        }
      }
      fields.add(field.toString());
      if (i >= n) {
        return fields;
      }
      i++;
    }
  }
}
