package dev.magpie.engine.store;

/**
 * The switch for explicit range checks on ordinals in readers. On by default; benchmarks may turn
 * it off with {@code -Dmagpie.boundsChecks=false} and must say so. Because the flag is a {@code
 * static final}, the JIT removes the checks entirely when it is off. Memory safety does not depend
 * on it: the underlying {@link java.lang.foreign.MemorySegment} still checks every access; these
 * checks only give a clearer message (the ordinal and the size).
 */
public final class BoundsChecks {
  /** Whether readers check ordinals against their size. */
  public static final boolean ENABLED =
      Boolean.parseBoolean(System.getProperty("magpie.boundsChecks", "true"));

  private BoundsChecks() {}

  /** Fails unless {@code 0 <= index < size}, naming both. */
  public static void checkIndex(long index, long size, String what) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(what + " " + index + " out of range [0, " + size + ")");
    }
  }
}
