package dev.magpie.engine.route;

import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.View;
import java.util.ArrayList;
import java.util.List;

/**
 * The current view of every shard held in this process, acquired together for one request and
 * released together when it closes, so that every phase of a routed search reads the same epochs.
 */
final class ShardViews implements AutoCloseable {
  private final List<View> views;

  private ShardViews(List<View> views) {
    this.views = views;
  }

  /** Acquires the current view of each of {@code shards}, in shard order. */
  static ShardViews acquire(List<Snapshot> shards) {
    List<View> views = new ArrayList<>(shards.size());
    try {
      for (Snapshot s : shards) {
        views.add(s.views().acquire());
      }
    } catch (RuntimeException e) {
      views.forEach(View::close);
      throw e;
    }
    return new ShardViews(views);
  }

  /** Shard {@code shard}'s view. */
  View get(int shard) {
    return views.get(shard);
  }

  /** How many shards. */
  int size() {
    return views.size();
  }

  @Override
  public void close() {
    views.forEach(View::close);
  }
}
