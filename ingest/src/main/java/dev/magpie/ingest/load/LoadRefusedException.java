package dev.magpie.ingest.load;

/** A load that read its input but would not publish it (nothing valid, or too much rejected). */
public final class LoadRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param message why, with the counts
   */
  public LoadRefusedException(String message) {
    super(message);
  }
}
