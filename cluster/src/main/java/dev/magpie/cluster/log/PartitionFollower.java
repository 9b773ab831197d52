package dev.magpie.cluster.log;

import dev.magpie.engine.live.LiveUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * One replica's reader of its shard's partition: assigned the partition (no consumer group: every
 * replica reads every record), it starts at the offset its snapshot was built at and applies the
 * records in order, a poll's worth at a time, on a thread of its own. A record that does not decode
 * is reported and skipped, never stopping the replica. It keeps the offset it has applied through,
 * which the replica's state records and callers wait on to read their own writes. A start offset
 * the topic no longer holds (retention deleted it) stops the follower with that reason instead of
 * skipping ahead: the replica then needs a newer snapshot.
 */
public final class PartitionFollower implements AutoCloseable {
  /** One update read, with where it lies. */
  public record Applied(long offset, LiveUpdate update) {}

  /** A record that could not be read: where, and why. */
  public record BadRecord(String topic, int partition, long offset, String reason) {}

  /** Applies a poll's updates, in offset order. */
  @FunctionalInterface
  public interface Applier {
    /**
     * Applies {@code batch}; a failure stops the follower (the updates stay unapplied and are read
     * again by the next follower from the state's offset).
     */
    void apply(List<Applied> batch) throws Exception;
  }

  /** Hears of the records skipped. */
  @FunctionalInterface
  public interface BadRecords {
    void report(BadRecord record);
  }

  private static final Duration POLL = Duration.ofMillis(100);
  private static final Logger LOG = Logger.getLogger(PartitionFollower.class.getName());

  private final TopicPartition partition;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Applier applier;
  private final BadRecords bad;
  private final Thread thread;
  private final AtomicLong next;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Object progress = new Object();
  private final CompletableFuture<Long> caughtUp = new CompletableFuture<>();

  /** Callers waiting for an offset to be applied, by the next offset each waits for. */
  private final TreeMap<Long, List<CompletableFuture<Long>>> waiting = new TreeMap<>();

  private volatile boolean running = true;

  /**
   * Starts following {@code partition} of {@code topic} at {@code startOffset}.
   *
   * @param bootstrap the cluster's "host:port,..."
   */
  public PartitionFollower(
      String bootstrap,
      UpdateTopic topic,
      int partition,
      long startOffset,
      Applier applier,
      BadRecords bad) {
    this.consumer = PartitionConsumers.assigned(bootstrap, topic, partition, 1_000);
    this.partition = new TopicPartition(topic.name(), partition);
    this.applier = applier;
    this.bad = bad;
    this.next = new AtomicLong(startOffset);
    consumer.seek(this.partition, startOffset);
    this.thread = new Thread(this::run, "magpie-follow-" + topic.name() + "-" + partition);
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      // Where the partition ended when following began: served once applied up to there.
      long end = consumer.endOffsets(List.of(partition)).getOrDefault(partition, 0L);
      while (running) {
        if (!caughtUp.isDone() && next.get() >= end) {
          caughtUp.complete(next.get());
        }
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        if (records.isEmpty()) {
          continue;
        }
        List<Applied> batch = new ArrayList<>(records.count());
        long last = -1;
        for (ConsumerRecord<String, byte[]> r : records.records(partition)) {
          last = r.offset();
          LiveUpdate update = PartitionConsumers.decode(r, bad);
          if (update != null) {
            batch.add(new Applied(r.offset(), update));
          }
        }
        if (!batch.isEmpty()) {
          applier.apply(batch);
        }
        if (last >= 0) {
          next.set(last + 1);
          List<CompletableFuture<Long>> ready = new ArrayList<>();
          synchronized (progress) {
            progress.notifyAll();
            SortedMap<Long, List<CompletableFuture<Long>>> reached =
                waiting.headMap(last + 1, true);
            reached.values().forEach(ready::addAll);
            reached.clear();
          }
          for (CompletableFuture<Long> f : ready) {
            f.complete(last + 1);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (Throwable t) {
      failure.set(t);
      caughtUp.completeExceptionally(t);
      LOG.log(Level.SEVERE, "following " + partition + " stopped at offset " + next.get(), t);
    } finally {
      caughtUp.completeExceptionally(new IllegalStateException("the follower stopped"));
      consumer.close();
      List<CompletableFuture<Long>> stranded = new ArrayList<>();
      synchronized (progress) {
        progress.notifyAll();
        waiting.values().forEach(stranded::addAll);
        waiting.clear();
      }
      for (CompletableFuture<Long> f : stranded) {
        f.completeExceptionally(new IllegalStateException("the follower stopped"));
      }
    }
  }

  /** The offset of the next record to apply: every record before it is applied (or skipped). */
  public long nextOffset() {
    return next.get();
  }

  /**
   * Completes, with the next offset then, once every record the partition held when following began
   * is applied: a replica that restarts from an older snapshot serves after this, not before.
   * Completes exceptionally if the follower stops first.
   */
  public CompletableFuture<Long> caughtUp() {
    return caughtUp;
  }

  /** Why the follower stopped, or null while it runs (or after a clean close). */
  public Throwable failure() {
    return failure.get();
  }

  /**
   * Waits until every record before {@code offset} is applied, at most {@code timeout}: for a
   * caller that must read its own write.
   *
   * @return whether it was
   */
  public boolean awaitNextOffset(long offset, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (next.get() < offset && failure.get() == null && thread.isAlive()) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(progress, left);
      }
    }
    return next.get() >= offset;
  }

  /**
   * Completes, with the next offset then, once every record before {@code offset} is applied: at
   * once when it is, exceptionally if the follower stops first. Holds no thread while it waits (a
   * replica answers a read-your-writes call when its write is applied, not on a thread parked until
   * then); the caller bounds the wait ({@link CompletableFuture#orTimeout}), which forgets it here.
   */
  public CompletableFuture<Long> whenApplied(long offset) {
    CompletableFuture<Long> applied = new CompletableFuture<>();
    synchronized (progress) {
      long now = next.get();
      if (now >= offset) {
        applied.complete(now);
        return applied;
      }
      if (failure.get() != null || !thread.isAlive()) {
        applied.completeExceptionally(new IllegalStateException("the follower stopped"));
        return applied;
      }
      waiting.computeIfAbsent(offset, k -> new ArrayList<>()).add(applied);
    }
    applied.whenComplete(
        (value, failed) -> {
          if (failed != null) {
            synchronized (progress) {
              List<CompletableFuture<Long>> at = waiting.get(offset);
              if (at != null && at.remove(applied) && at.isEmpty()) {
                waiting.remove(offset);
              }
            }
          }
        });
    return applied;
  }

  /** Callers waiting in {@link #whenApplied}. */
  public int waiting() {
    synchronized (progress) {
      return waiting.values().stream().mapToInt(List::size).sum();
    }
  }

  /** Stops following and closes the consumer. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
