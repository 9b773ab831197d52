package dev.magpie.engine;

/**
 * A caller's request that cannot be answered as asked: the message names the field, the value and
 * what is allowed ("k: must be from 1 to 1000, got 0"). The server answers INVALID_ARGUMENT with
 * that message; any other exception is an error of Magpie's, answered INTERNAL without its message.
 *
 * <p>It extends {@link IllegalArgumentException} so that library callers that already treat a bad
 * argument as their own mistake keep doing so; code that must tell a caller's mistake from a bug
 * catches this type, never {@code IllegalArgumentException}.
 */
public final class InvalidRequestException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * A refusal of {@code field}.
   *
   * @param field the request field at fault, as the caller names it ("k", "cart[2].quantity")
   * @param problem what is wrong with its value, naming the value and what is allowed
   */
  public InvalidRequestException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  /**
   * As {@link #InvalidRequestException(String, String)}, for a refusal that {@code cause} explains.
   */
  public InvalidRequestException(String field, String problem, Throwable cause) {
    super(field + ": " + problem, cause);
    this.field = field;
  }

  /** The request field at fault. */
  public String field() {
    return field;
  }
}
