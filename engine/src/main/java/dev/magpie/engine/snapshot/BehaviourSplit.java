package dev.magpie.engine.snapshot;

import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.engine.behaviour.ItemRelations;
import dev.magpie.engine.behaviour.ItemStats;
import dev.magpie.engine.behaviour.PopularityRanking;
import dev.magpie.engine.behaviour.ShardBehaviour;
import dev.magpie.engine.behaviour.ShardRelations;
import dev.magpie.engine.shard.ItemRef;
import dev.magpie.engine.shard.ShardFunction;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * Splits a catalog's behaviour, computed once over all its items by catalog position, into its
 * shards' parts, so that each shard recommends as one store would:
 *
 * <ul>
 *   <li>item statistics: each item's on its own shard;
 *   <li>relations: each item's rows on its own shard, neighbours named by {@link ItemRef};
 *   <li>popularity: each item's catalog-wide rank, and per category the rank past its catalog-wide
 *       top ({@link ShardBehaviour});
 *   <li>the exploration pool's catalog-wide layout;
 *   <li>user histories: each shopper's on their home shard, {@code hash(user) mod S} ({@link
 *       ShardFunction#shardOf}).
 * </ul>
 */
final class BehaviourSplit {
  private final BehaviourModel model;
  private final int[] shardOf;
  private final int[] localOrdinal;
  private final float[] ratings;
  private final int[] categoryOf;
  private final IntUnaryOperator categoryParent;
  private final int categories;
  private final int shards;

  /**
   * The split of {@code model} (over catalog positions; null for a catalog loaded without events,
   * whose shards still need the catalog-wide popularity order, by rating) for a catalog of {@code
   * shards} shards.
   *
   * @param shardOf each position's shard
   * @param localOrdinal each position's ordinal on its shard
   * @param ratings each position's rating (the popularity ranking's tie-break)
   * @param categoryOf each position's category ordinal, -1 for none
   * @param categoryParent a category's parent, -1 for a root
   * @param categories the catalog's categories
   */
  BehaviourSplit(
      BehaviourModel model,
      int[] shardOf,
      int[] localOrdinal,
      float[] ratings,
      int[] categoryOf,
      IntUnaryOperator categoryParent,
      int categories,
      int shards) {
    this.model = model;
    this.shardOf = shardOf;
    this.localOrdinal = localOrdinal;
    this.ratings = ratings;
    this.categoryOf = categoryOf;
    this.categoryParent = categoryParent;
    this.categories = categories;
    this.shards = shards;
  }

  /**
   * Hands every shard being built its part: {@code writers[i]} (null for a shard built elsewhere)
   * gets shard i's statistics, its {@link ShardBehaviour} and the histories of the shoppers it is
   * home to, their latest {@code historyLimit} events of {@code log} (null without events).
   *
   * @param poolMaxUsers an item with fewer distinct shoppers is in the exploration pool
   */
  void into(SnapshotWriter[] writers, Interactions log, int historyLimit, int poolMaxUsers) {
    int n = shardOf.length;
    int[] order =
        PopularityRanking.order(
            n, i -> model == null ? 0f : model.stats().popularity(i), i -> ratings[i]);
    long[] rank = new long[n];
    long[] cuts = new long[categories];
    Arrays.fill(cuts, Long.MAX_VALUE);
    int[] counts = new int[categories];
    for (int r = 0; r < n; r++) {
      int p = order[r];
      rank[p] = r;
      for (int c = categoryOf[p]; c >= 0; c = categoryParent.applyAsInt(c)) {
        if (counts[c] < ShardBehaviour.TOP_PER_CATEGORY
            && ++counts[c] == ShardBehaviour.TOP_PER_CATEGORY) {
          cuts[c] = r + 1L;
        }
      }
    }
    long[] buckets = new long[categories + 1];
    long[] poolIndex = new long[n];
    for (int p = 0; p < n; p++) {
      int bucket = categoryOf[p] < 0 ? categories : categoryOf[p];
      poolIndex[p] =
          model != null && model.stats().users(p) < poolMaxUsers ? buckets[bucket]++ : -1;
    }
    int[][] positionsByShard = positionsByShard();
    for (int s = 0; s < writers.length; s++) {
      if (writers[s] == null) {
        continue;
      }
      int[] positions = positionsByShard[s];
      long[] ranks = new long[positions.length];
      long[] pool = new long[positions.length];
      for (int a = 0; a < positions.length; a++) {
        ranks[a] = rank[positions[a]];
        pool[a] = poolIndex[positions[a]];
      }
      if (model == null) {
        ShardRelations none =
            ShardRelations.of(new int[positions.length + 1], new long[0], new float[0]);
        writers[s].shardBehaviour(ShardBehaviour.of(n, ranks, cuts, buckets, pool, none, none));
        continue;
      }
      int shard = s;
      writers[s].behaviour(
          new BehaviourModel(
              stats(positions),
              ItemRelations.empty(positions.length),
              ItemRelations.empty(positions.length),
              model.parameters(),
              model.latest()));
      writers[s].shardBehaviour(
          ShardBehaviour.of(
              n,
              ranks,
              cuts,
              buckets,
              pool,
              rows(model.together(), positions),
              rows(model.complements(), positions)));
      writers[s].shardUserHistories(
          log,
          historyLimit,
          u -> ShardFunction.shardOf(log.userId(u), shards) == shard,
          p -> ItemRef.of(shardOf[p], localOrdinal[p]),
          shards);
    }
  }

  /** Each shard's items' positions, in its ordinal order: one pass over the catalog. */
  private int[][] positionsByShard() {
    int[] counts = new int[shards];
    for (int shard : shardOf) {
      counts[shard]++;
    }
    int[][] out = new int[shards][];
    for (int s = 0; s < shards; s++) {
      out[s] = new int[counts[s]];
    }
    for (int p = 0; p < shardOf.length; p++) {
      out[shardOf[p]][localOrdinal[p]] = p;
    }
    return out;
  }

  private ItemStats stats(int[] positions) {
    ItemStats all = model.stats();
    int n = positions.length;
    int[][] ints = new int[6][n];
    float[][] floats = new float[3][n];
    for (int a = 0; a < n; a++) {
      int p = positions[a];
      ints[0][a] = all.views(p);
      ints[1][a] = all.favs(p);
      ints[2][a] = all.carts(p);
      ints[3][a] = all.buys(p);
      ints[4][a] = all.ratings(p);
      ints[5][a] = all.users(p);
      floats[0][a] = all.popularity(p);
      floats[1][a] = all.conversion(p);
      floats[2][a] = all.ageDays(p);
    }
    return ItemStats.of(
        ints[0], ints[1], ints[2], ints[3], ints[4], ints[5], floats[0], floats[1], floats[2]);
  }

  private ShardRelations rows(ItemRelations relations, int[] positions) {
    int[] offsets = new int[positions.length + 1];
    for (int a = 0; a < positions.length; a++) {
      offsets[a + 1] = offsets[a] + relations.end(positions[a]) - relations.start(positions[a]);
    }
    long[] refs = new long[offsets[positions.length]];
    float[] weights = new float[refs.length];
    for (int a = 0; a < positions.length; a++) {
      int at = offsets[a];
      for (int e = relations.start(positions[a]); e < relations.end(positions[a]); e++, at++) {
        int b = relations.neighbour(e);
        refs[at] = ItemRef.of(shardOf[b], localOrdinal[b]);
        weights[at] = relations.weight(e);
      }
    }
    return ShardRelations.of(offsets, refs, weights);
  }
}
