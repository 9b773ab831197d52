package dev.magpie.engine.catalog;

/**
 * A field value that cannot be accepted. Carries the field's name, the offending value (shortened
 * for display) and the reason, so the caller can report exactly what to fix. Thrown by {@link
 * ItemBuilder}; readers add the file and line.
 */
public final class InvalidFieldException extends Exception {
  private static final long serialVersionUID = 1L;
  private static final int MAX_SHOWN = 80;

  private final String field;
  private final String value;
  private final RejectReason reason;

  /**
   * @param field the field's name as the catalog calls it ("price", "vector", "attributes.color")
   * @param value the offending value as read, or null when absent
   * @param reason the category counted in summaries
   * @param message what is wrong and what is allowed
   */
  public InvalidFieldException(String field, String value, RejectReason reason, String message) {
    super(message, null, false, false);
    this.field = field;
    this.value = value == null ? null : shorten(value);
    this.reason = reason;
  }

  /** The field's name. */
  public String field() {
    return field;
  }

  /** The value as read, at most {@value #MAX_SHOWN} characters, or null when absent. */
  public String value() {
    return value;
  }

  /** The reason category. */
  public RejectReason reason() {
    return reason;
  }

  /** Shortens a value for display, keeping its start and saying how long it was. */
  public static String shorten(String value) {
    if (value.length() <= MAX_SHOWN) {
      return value;
    }
    return value.substring(0, MAX_SHOWN) + "... (" + value.length() + " chars)";
  }
}
