package dev.magpie.server;

import dev.magpie.api.v1.LogPosition;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
   * Completes once {@code follower} has applied every position of {@code positions} in its
   * partition (positions of other partitions are another shard's): at once when it has, or when
   * there is no follower (a server that applies each write before acknowledging it); exceptionally
   * with UNAVAILABLE naming how far it is when it has not in time. Holds no thread while it waits.
   *
   * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT for a negative offset or partition
   */
  static CompletableFuture<Void> after(ShardFollower follower, List<LogPosition> positions) {
    long needed = needed(follower, positions);
    if (needed < 0 || follower.nextOffset() >= needed) {
      return CompletableFuture.completedFuture(null);
    }
    return follower
        .whenApplied(needed)
        .orTimeout(waitNanos(), TimeUnit.NANOSECONDS)
        .handle(
            (applied, failed) -> {
              if (failed != null) {
                throw notCaughtUp(follower, needed);
              }
              return null;
            });
  }

  /** Half the call's remaining time, or the default wait without a deadline. */
  private static long waitNanos() {
    Deadline deadline = Context.current().getDeadline();
    long wait =
        deadline == null
            ? TimeUnit.MILLISECONDS.toNanos(DEFAULT_WAIT_MILLIS)
            : deadline.timeRemaining(TimeUnit.NANOSECONDS) / 2;
    return Math.max(1, wait);
  }

  private static StatusRuntimeException notCaughtUp(ShardFollower follower, long needed) {
    return Status.UNAVAILABLE
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

  /**
   * The next offset {@code follower} must reach for {@code positions}, or -1 when none is in its
   * partition (or there is no follower).
   */
  private static long needed(ShardFollower follower, List<LogPosition> positions) {
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
    return needed;
  }
}
