package dev.magpie.engine.embed;

/**
 * The built-in model could not be loaded: its native runtime would not load (ONNX Runtime unpacks
 * its library into {@code java.io.tmpdir}, so a full or read-only temporary directory is enough) or
 * the model itself would not open. An operator's problem, not a bug: commands print the message,
 * which says what to check, instead of a stack trace.
 */
public final class ModelUnavailableException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** A failure to load the model, with its cause. */
  public ModelUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
