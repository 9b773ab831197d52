package dev.magpie.server;

import dev.magpie.cluster.log.PartitionFollower;
import dev.magpie.cluster.log.UpdateTopic;
import dev.magpie.engine.live.LiveUpdate;
import dev.magpie.engine.shard.Shard;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * A shard replica's live updates from the cluster's update log instead of a write-ahead log: it
 * follows its shard's partition from the offset its snapshot was built at ({@link
 * Shard#UPDATES_OFFSET_PARAMETER}, 0 when the snapshot records none) and applies each update to the
 * engine being served, a poll's worth per published epoch. An update the catalog refuses (a change
 * to an item it does not hold, an add of an id it has) and a record that does not decode are logged
 * and skipped, never stopping the replica. The follower's thread is the engine's only writer.
 */
final class ShardFollower implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ShardFollower.class.getName());

  private final PartitionFollower follower;
  private final int partition;

  ShardFollower(Engines engines, ServerConfig.UpdateLog source) {
    Engine first = engines.current();
    Shard shard = first.shard;
    int partitions = shard == null ? 1 : shard.count();
    int partition = shard == null ? 0 : shard.index();
    long from =
        Long.parseLong(
            first.snapshot.manifest().build().getOrDefault(Shard.UPDATES_OFFSET_PARAMETER, "0"));
    this.partition = partition;
    UpdateTopic topic = new UpdateTopic(source.topic(), partitions);
    this.follower =
        new PartitionFollower(
            source.bootstrap(),
            topic,
            partition,
            from,
            batch -> {
              Engine engine = engines.current();
              for (PartitionFollower.Applied a : batch) {
                LiveUpdate update = a.update();
                String why = engine.live.check(update);
                if (why != null || !engine.live.apply(update)) {
                  LOG.warning(
                      "update at offset "
                          + a.offset()
                          + " of "
                          + topic.name()
                          + "/"
                          + partition
                          + " skipped: "
                          + (why != null ? why : "already applied or not applicable"));
                }
              }
              engine.advance();
            },
            bad ->
                LOG.warning(
                    "record at offset "
                        + bad.offset()
                        + " of "
                        + bad.topic()
                        + "/"
                        + bad.partition()
                        + " skipped: "
                        + bad.reason()));
  }

  /** The offset of the next record to apply: every update before it is served. */
  long nextOffset() {
    return follower.nextOffset();
  }

  /**
   * Whether the replica has applied every update its partition held when it started following:
   * until then it answers no routed call (a restarted replica would serve stale items).
   */
  boolean caughtUp() {
    return follower.caughtUp().isDone() && !follower.caughtUp().isCompletedExceptionally();
  }

  /** Runs {@code then} once {@link #caughtUp()}. */
  void whenCaughtUp(Runnable then) {
    follower.caughtUp().thenRun(then);
  }

  /** The partition followed: the shard's number. */
  int partition() {
    return partition;
  }

  /**
   * Completes once every record before {@code offset} is served (exceptionally if following stops
   * first), holding no thread meanwhile.
   */
  CompletableFuture<Long> whenApplied(long offset) {
    return follower.whenApplied(offset);
  }

  @Override
  public void close() {
    follower.close();
  }
}
