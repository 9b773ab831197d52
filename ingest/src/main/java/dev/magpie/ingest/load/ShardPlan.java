package dev.magpie.ingest.load;

import dev.magpie.engine.route.ClusterDirectory;
import dev.magpie.engine.shard.ShardFunction;
import java.nio.file.Path;

/**
 * Which shards a load builds: every shard of {@code count} ({@code magpie load --shards S}, each
 * into its own store {@code OUT/shard-NNNN}), or only shard {@code only} ({@code --shard I/S}, into
 * the store {@code OUT} itself: one build per machine or Kubernetes Job index).
 *
 * @param count the catalog's shard count, a power of two
 * @param only the one shard to build, or -1 for all of them
 */
public record ShardPlan(int count, int only) {
  /** Checks the numbers. */
  public ShardPlan {
    ShardFunction.checkCount(count);
    if (only < -1 || only >= count) {
      throw new IllegalArgumentException(
          "the shard to build must be from 0 to " + (count - 1) + ", got " + only);
    }
  }

  /** Every shard of {@code count}. */
  public static ShardPlan all(int count) {
    return new ShardPlan(count, -1);
  }

  /** Whether this load builds shard {@code shard}. */
  public boolean builds(int shard) {
    return only < 0 || only == shard;
  }

  /** Where shard {@code shard}'s store goes, for a load into {@code out}. */
  public Path store(Path out, int shard) {
    return only >= 0 ? out : ClusterDirectory.shardStore(out, shard);
  }
}
