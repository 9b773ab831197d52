package dev.magpie.server;

import dev.magpie.api.v1.LogPosition;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Read-your-writes on a shard replica: before a call reads, waits until the replica's follower of
 * the update log has applied the position the caller asked for in its partition. It waits at most
 * half of the call's remaining time, then answers UNAVAILABLE naming how far it is, so that the
 * router can still try another replica with the other half.
 */
final class ReadAfter {
  /** The longest a call with no deadline waits. */
  static final long DEFAULT_WAIT_MILLIS = 5_000;

  private ReadAfter() {}

  /**
   * Returns once {@code follower} has applied every position of {@code positions} in its partition
   * (positions of other partitions are another shard's); at once when there is no follower (a
   * server that applies each write before acknowledging it).
   *
   * @throws io.grpc.StatusRuntimeException UNAVAILABLE when it has not in time, INVALID_ARGUMENT
   *     for a negative offset or partition
   */
  static void await(ShardFollower follower, List<LogPosition> positions) {
    long needed = -1;
    for (int i = 0; i < positions.size(); i++) {
      LogPosition p = positions.get(i);
      if (p.getPartition() < 0 || p.getOffset() < 0) {
        throw Status.INVALID_ARGUMENT
            .withDescription(
                "read_after["
                    + i
                    + "]: partition "
                    + p.getPartition()
                    + ", offset "
                    + p.getOffset()
                    + ": both must be 0 or more")
            .asRuntimeException();
      }
      if (follower != null && p.getPartition() == follower.partition()) {
        needed = Math.max(needed, p.getOffset() + 1);
      }
    }
    if (needed < 0 || follower.nextOffset() >= needed) {
      return;
    }
    Deadline deadline = Context.current().getDeadline();
    long waitNanos =
        deadline == null
            ? TimeUnit.MILLISECONDS.toNanos(DEFAULT_WAIT_MILLIS)
            : deadline.timeRemaining(TimeUnit.NANOSECONDS) / 2;
    boolean caughtUp;
    try {
      caughtUp = follower.awaitNextOffset(needed, Duration.ofNanos(Math.max(0, waitNanos)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
    }
    if (!caughtUp) {
      throw Status.UNAVAILABLE
          .withDescription(
              "this replica has applied partition "
                  + follower.partition()
                  + " up to offset "
                  + (follower.nextOffset() - 1)
                  + ", the call reads after offset "
                  + (needed - 1)
                  + ": not caught up in time")
          .asRuntimeException();
    }
  }
}
