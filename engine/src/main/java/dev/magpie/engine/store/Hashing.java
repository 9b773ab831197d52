package dev.magpie.engine.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 64-bit hash that persisted hash tables are built with. Its output is part of the on-disk
 * format of {@link StringHashIndex}: any change to it needs a new format version. The seed, stored
 * with each table, keeps a table built from adversarial keys from clustering predictably.
 *
 * <p>Eight bytes at a time, each word mixed (multiply, rotate, multiply) into the state, then the
 * MurmurHash3 64-bit finaliser so every input bit reaches every output bit.
 */
public final class Hashing {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private Hashing() {}

  /** Hash of {@code bytes[offset, offset + length)} under {@code seed}. */
  public static long hash64(byte[] bytes, int offset, int length, long seed) {
    long h = seed ^ (length * C2);
    int i = offset;
    int end = offset + length;
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      h = mixIn(h, (long) LONG_LE.get(bytes, i));
    }
    if (i < end) {
      long tail = 0;
      for (int shift = 0; i < end; i++, shift += 8) {
        tail |= (bytes[i] & 0xFFL) << shift;
      }
      h = mixIn(h, tail);
    }
    return fmix64(h);
  }

  private static long mixIn(long h, long word) {
    long k = word * C1;
    k = Long.rotateLeft(k, 31) * C2;
    h ^= k;
    return Long.rotateLeft(h, 27) * 5 + 0x52dce729;
  }

  /** MurmurHash3's 64-bit finaliser. */
  public static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
