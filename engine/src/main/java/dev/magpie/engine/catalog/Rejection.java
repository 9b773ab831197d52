package dev.magpie.engine.catalog;

/**
 * A rejected catalog row, with everything an operator needs to find and fix it.
 *
 * @param source the file (or stream) the row came from
 * @param line the 1-based line where the row starts
 * @param field the field at fault, or "row" for the record as a whole
 * @param value the offending value, shortened, or null when absent
 * @param reason the category counted in summaries
 * @param message what is wrong and what is allowed
 */
public record Rejection(
    String source, long line, String field, String value, RejectReason reason, String message) {

  /** A rejection for an invalid field at {@code source:line}. */
  public static Rejection of(String source, long line, InvalidFieldException e) {
    return new Rejection(source, line, e.field(), e.value(), e.reason(), e.getMessage());
  }

  /** One line: {@code file:line: field 'value': message [REASON]}. */
  @Override
  public String toString() {
    return source
        + ":"
        + line
        + ": "
        + field
        + (value == null ? "" : " '" + value + "'")
        + ": "
        + message
        + " ["
        + reason
        + "]";
  }
}
