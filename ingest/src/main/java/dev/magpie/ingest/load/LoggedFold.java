package dev.magpie.ingest.load;

import dev.magpie.engine.behaviour.Event;
import java.util.List;

/**
 * A fold of a served catalog with the updates logged since it was built ({@link BaseFold}: one
 * store and its write-ahead log; {@link ShardSetFold}: a shard set and its update topic): what the
 * updates come to, read the same way for both.
 */
public abstract class LoggedFold implements FoldedCatalog, AutoCloseable {
  /** The updates read, over the base's items. */
  abstract LoggedChanges changes();

  /** Updates folded. */
  public final long records() {
    return changes().records();
  }

  /** Items the updates added (withdrawn ones included). */
  public final int addedCount() {
    return changes().added.size();
  }

  /** Items the updates withdrew, left out of the new snapshot. */
  public final int withdrawnCount() {
    return changes().withdrawn.size();
  }

  @Override
  public final boolean withdrew(String id) {
    return changes().withdrawn.contains(id);
  }

  @Override
  public final List<Event> events() {
    return changes().events;
  }

  /** Closes the base. */
  @Override
  public abstract void close();
}
