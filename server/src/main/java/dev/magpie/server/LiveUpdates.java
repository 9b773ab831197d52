package dev.magpie.server;

import dev.magpie.engine.io.FileOps;
import dev.magpie.engine.live.GroupCommitter;
import dev.magpie.engine.live.LiveUpdate;
import dev.magpie.engine.live.WriteAheadLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The server's live updates: the write-ahead log, its single writer ({@link GroupCommitter})
 * applying each durable update to the engine being served, and the replay of the log's tail into
 * every engine before it serves (at start and at each reload). A snapshot says in its manifest
 * ({@link WriteAheadLog#FOLDED}) up to which log record it already holds; records after that are
 * replayed into it.
 */
final class LiveUpdates implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LiveUpdates.class.getName());

  private final Engines engines;
  private final WriteAheadLog log;
  private final GroupCommitter committer;
  private final AtomicLong skipped = new AtomicLong();
  private final long replayedAtStart;

  private LiveUpdates(Engines engines, WriteAheadLog log) throws IOException {
    this.engines = engines;
    this.log = log;
    this.replayedAtStart = replay(engines.current());
    this.committer =
        new GroupCommitter(
            log,
            new GroupCommitter.Applier() {
              @Override
              public void apply(long sequence, LiveUpdate update) {
                if (!engines.current().live.apply(update)) {
                  skipped.incrementAndGet();
                }
              }

              @Override
              public void committed(long lastSequence) {
                engines.current().advance();
              }
            },
            "magpie-wal-writer");
  }

  /**
   * Opens the log in {@code dir}, writing through {@code files}, and replays what the current
   * engine's snapshot does not hold yet.
   *
   * @throws IOException when the log cannot be opened, is damaged, or ends before the sequence the
   *     snapshot says it folded (the log of another store, or one restored from an older copy)
   */
  static LiveUpdates open(Path dir, FileOps files, Engines engines) throws IOException {
    WriteAheadLog log = WriteAheadLog.open(dir, WriteAheadLog.DEFAULT_SEGMENT_BYTES, files);
    try {
      if (log.truncatedBytes() > 0) {
        LOG.warning(
            "write-ahead log "
                + dir
                + ": cut a torn tail of "
                + log.truncatedBytes()
                + " bytes (a write the crash interrupted, never acknowledged)");
      }
      return new LiveUpdates(engines, log);
    } catch (IOException | RuntimeException e) {
      log.close();
      throw e;
    }
  }

  /**
   * Applies to {@code engine} every logged update after its snapshot's folded sequence; returns how
   * many. Runs before the engine serves, on the writer thread once the writer runs.
   */
  long replay(Engine engine) throws IOException {
    long from = WriteAheadLog.folded(engine.snapshot.manifest());
    if (from > log.lastSequence()) {
      throw new IOException(
          "snapshot "
              + engine.snapshot.dir()
              + " holds log records up to "
              + from
              + " but the write-ahead log in "
              + log.dir()
              + " ends at "
              + log.lastSequence()
              + ": is this the snapshot store's own log?");
    }
    long[] count = {0};
    log.replay(
        from,
        (sequence, update) -> {
          count[0]++;
          if (!engine.live.apply(update)) {
            skipped.incrementAndGet();
          }
        });
    engine.advance();
    return count[0];
  }

  /** Logs, syncs and applies {@code updates}; completes with the last one's sequence. */
  CompletableFuture<Long> submit(List<LiveUpdate> updates) {
    return committer.submit(updates);
  }

  /** Runs {@code work} on the writer thread between commits (a reload). */
  <T> CompletableFuture<T> exclusive(Callable<T> work) {
    return committer.exclusive(work);
  }

  /** Records replayed into the first engine at start. */
  long replayedAtStart() {
    return replayedAtStart;
  }

  /** The log's last durable sequence. */
  long sequence() {
    return committer.lastSequence();
  }

  /** Commits (fsyncs) so far. */
  long commits() {
    return committer.commits();
  }

  /** Records committed so far. */
  long records() {
    return committer.records();
  }

  /** Logged records that no longer applied (their item is not in the snapshot served). */
  long skipped() {
    return skipped.get();
  }

  /** Commits what is waiting, stops the writer and closes the log. */
  @Override
  public void close() throws IOException {
    committer.close();
  }
}
