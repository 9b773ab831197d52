package dev.magpie.learn.search;

import dev.magpie.engine.route.ShardMerge;
import dev.magpie.engine.route.ShardedTextSearch;
import dev.magpie.engine.search.SearchRequest;
import dev.magpie.engine.snapshot.ItemStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Magpie's BM25 search answered over the shards of a catalog and merged as a router merges ({@link
 * ShardedTextSearch}), its hits named by their ordinals in an unsharded snapshot of the same
 * catalog: to show that the shards rank as the single node does.
 */
public final class ShardedBm25System implements SearchSystem {
  private final String name;
  private final ShardedTextSearch shards;
  private final ItemStore single;

  /**
   * @param shards the catalog's shards
   * @param single the unsharded snapshot's items, whose ordinals name hits
   */
  public ShardedBm25System(String name, ShardedTextSearch shards, ItemStore single) {
    this.name = name;
    this.shards = shards;
    this.single = single;
  }

  @Override
  public String name() {
    return name;
  }

  private static SearchRequest request(String query, int k) {
    return SearchRequest.of(query, k).withExplanations(false);
  }

  @Override
  public int[] search(String query, int k) throws IOException {
    return ordinals(
        single, shards.search(request(query, k)).hits().stream().map(ShardMerge.RankedHit::id));
  }

  /** The ordinals in {@code single} of the items {@code ids}, which it must all hold. */
  static int[] ordinals(ItemStore single, Stream<String> ids) {
    return ids.mapToInt(
            id -> {
              int ordinal = single.ordinalOf(id);
              if (ordinal < 0) {
                throw new IllegalStateException(
                    "item " + id + " is on a shard but not in the unsharded snapshot");
              }
              return ordinal;
            })
        .toArray();
  }

  @Override
  public float[] score(String query, int[] ordinals) throws IOException {
    List<String> ids = new ArrayList<>(ordinals.length);
    for (int o : ordinals) {
      ids.add(single.externalId(o));
    }
    return shards.score(request(query, 1), ids);
  }
}
