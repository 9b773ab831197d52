package dev.magpie.engine.shard;

import dev.magpie.engine.store.Hashing;
import java.nio.charset.StandardCharsets;

/**
 * Which shard holds an item: the low bits of a 64-bit hash of its external id's UTF-8 bytes, for a
 * shard count that is a power of two. Part of the cluster's format: a catalog's items stay where
 * this function put them for as long as the catalog lives, so it never changes. Splitting shard
 * {@code s} of {@code S} by one more bit sends each of its items to {@code s} or {@code s + S} of
 * {@code 2S}, never elsewhere.
 */
public final class ShardFunction {
  /** The most shards a catalog may have. */
  public static final int MAX_SHARDS = 1 << 16;

  /** The hash's seed: fixed forever. */
  private static final long SEED = 0x6d61677069657368L;

  /** Seed of {@link #sampleHash}, independent of the shard hash. */
  private static final long SAMPLE_SEED = 0x73616d706c653031L;

  private ShardFunction() {}

  /** The shard of {@code shards} that holds the item {@code externalId}. */
  public static int shardOf(String externalId, int shards) {
    checkCount(shards);
    byte[] bytes = externalId.getBytes(StandardCharsets.UTF_8);
    return (int) (Hashing.hash64(bytes, 0, bytes.length, SEED) & (shards - 1));
  }

  /**
   * A second hash of {@code externalId}, unrelated to the shard: for choosing the same sample of a
   * catalog's items on every shard's builder, whatever the order it reads them in.
   */
  public static long sampleHash(String externalId) {
    byte[] bytes = externalId.getBytes(StandardCharsets.UTF_8);
    return Hashing.hash64(bytes, 0, bytes.length, SAMPLE_SEED);
  }

  /**
   * Checks a shard count: a power of two from 1 to {@link #MAX_SHARDS}.
   *
   * @throws IllegalArgumentException naming the count when it is not
   */
  public static void checkCount(int shards) {
    if (shards < 1 || shards > MAX_SHARDS || Integer.bitCount(shards) != 1) {
      throw new IllegalArgumentException(
          "the shard count must be a power of two from 1 to " + MAX_SHARDS + ", got " + shards);
    }
  }
}
