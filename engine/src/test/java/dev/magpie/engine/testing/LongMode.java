package dev.magpie.engine.testing;

/**
 * How much a torture, soak or fuzz test does: a short run by default (every CI build), the long one
 * with {@code -Dmagpie.long=true} ({@code ./mvnw verify -Plong}), and any count by its own property
 * ({@code -Dmagpie.crash.trials=200}).
 */
public final class LongMode {
  private static final String PROPERTY = "magpie.long";

  private LongMode() {}

  /** Whether the long runs were asked for. */
  public static boolean on() {
    return Boolean.getBoolean(PROPERTY);
  }

  /**
   * The count named by {@code -Dmagpie.<name>} when given, else {@code longRun} in the long mode
   * and {@code ci} otherwise.
   */
  public static int count(String name, int ci, int longRun) {
    return Integer.getInteger("magpie." + name, on() ? longRun : ci);
  }
}
