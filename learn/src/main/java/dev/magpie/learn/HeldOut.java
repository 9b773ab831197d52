package dev.magpie.learn;

/**
 * Which judged queries or users training keeps out, chosen by a hash of their id: training and
 * evaluation agree on the split without sharing a list, and the split does not move when the data
 * file is reordered.
 */
public final class HeldOut {
  private HeldOut() {}

  /** Whether training that holds out {@code fraction} of the ids keeps {@code id} out. */
  public static boolean heldOut(String id, double fraction) {
    return Math.floorMod(id.hashCode() * 0x9E3779B1, 1000) < fraction * 1000;
  }

  /** Whether {@code id}, a training one, is among the fifth that decide when boosting stops. */
  public static boolean validates(String id) {
    return Math.floorMod(id.hashCode() * 0x85EBCA6B, 5) == 0;
  }
}
