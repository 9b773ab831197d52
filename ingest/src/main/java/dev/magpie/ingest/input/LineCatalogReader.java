package dev.magpie.ingest.input;

import dev.magpie.engine.catalog.CatalogLimits;
import dev.magpie.engine.catalog.InvalidFieldException;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.catalog.RejectReason;
import dev.magpie.engine.catalog.Rejection;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A text format read record by record, in a pipeline: the calling thread splits the input into
 * records (lines, or several lines for a quoted CSV field) and batches them; parse threads (named
 * {@code magpie-load-parse-N}) decode UTF-8, parse and validate each batch with their own copy of
 * the reader; the calling thread delivers the results strictly in input order, so ordinals,
 * duplicate detection and rejection order are the same with one thread or many. A record that
 * cannot be parsed on the last line of a file that lacks a final newline is reported as {@link
 * RejectReason#TRUNCATED}.
 */
public abstract class LineCatalogReader extends CatalogReader {
  private static final long PROGRESS_EVERY_BYTES = 1 << 20;
  private static final int BATCH_RECORDS = 512;
  private static final int BATCH_BYTES = 256 << 10;

  private final Utf8Decoder utf8 = new Utf8Decoder();

  /** A reader with these options. */
  protected LineCatalogReader(CatalogReadOptions options) {
    super(options);
  }

  /**
   * A fresh reader for a parse thread, with this one's options and whatever it learned from the
   * header.
   */
  protected abstract LineCatalogReader fork();

  /** Whether the first record must be a header (delimited files without a column mapping). */
  protected boolean needsHeader() {
    return false;
  }

  /**
   * Whether the first record is a header to skip; delimited formats read their column names from
   * it.
   *
   * @throws IOException when the header is required but unusable
   */
  protected boolean isHeader(String firstRecord) throws IOException {
    return false;
  }

  /** Whether the record in {@code bytes[0, length)} ends inside a quoted field. */
  protected boolean needsContinuation(byte[] bytes, int length) {
    return false;
  }

  /** Parses one record into {@link #builder}. */
  protected abstract void parse(String record) throws InvalidFieldException;

  @Override
  public final void read(CatalogSource source, CatalogSink sink) throws IOException {
    try (InputStream in = source.open()) {
      read(in, source.name(), sink);
    }
  }

  /**
   * Reads every record of {@code in}.
   *
   * @param source the name used in rejections (usually the file's path)
   */
  public final void read(InputStream in, String source, CatalogSink sink) throws IOException {
    int threads =
        options.parseThreads() > 0
            ? options.parseThreads()
            : Runtime.getRuntime().availableProcessors();
    Splitter splitter = new Splitter(new LineReader(in), source, sink);
    if (threads <= 1) {
      for (RecordBatch batch; (batch = splitter.next()) != null; ) {
        deliver(sink, source, batch, parseBatch(batch, source));
      }
    } else {
      try (ParsePool pool = new ParsePool(threads)) {
        ArrayDeque<PendingBatch> pending = new ArrayDeque<>();
        for (RecordBatch batch; (batch = splitter.next()) != null; ) {
          pending.add(new PendingBatch(batch, pool.parse(batch, source)));
          if (pending.size() >= 2 * threads) {
            PendingBatch done = pending.poll();
            deliver(sink, source, done.batch(), pool.await(done.results()));
          }
        }
        for (PendingBatch done; (done = pending.poll()) != null; ) {
          deliver(sink, source, done.batch(), pool.await(done.results()));
        }
      }
    }
    sink.progress(splitter.lines.bytesRead());
  }

  /** Parses a batch with this reader; each result is an {@link Item} or a {@link Rejection}. */
  private Object[] parseBatch(RecordBatch batch, String source) {
    Object[] results = new Object[batch.count];
    for (int i = 0; i < batch.count; i++) {
      if (batch.rejected[i] != null) {
        results[i] = batch.rejected[i];
        continue;
      }
      long line = batch.lines[i];
      try {
        String text = utf8.decode(batch.data, batch.starts[i], batch.lengths[i]);
        builder.reset();
        parse(text);
        results[i] = builder.build();
      } catch (InvalidFieldException e) {
        if (batch.lastWithoutNewline[i] && e.reason() == RejectReason.MALFORMED) {
          e =
              new InvalidFieldException(
                  e.field(),
                  e.value(),
                  RejectReason.TRUNCATED,
                  "the last line has no newline and cannot be parsed, the file looks truncated ("
                      + e.getMessage()
                      + ")");
        }
        results[i] = Rejection.of(source, line, e);
      }
    }
    return results;
  }

  private void deliver(CatalogSink sink, String source, RecordBatch batch, Object[] results)
      throws IOException {
    for (int i = 0; i < results.length; i++) {
      if (results[i] instanceof Rejection rejection) {
        sink.reject(rejection);
      } else {
        deliver(sink, (Item) results[i], source, batch.lines[i]);
      }
    }
  }

  /** Records of one batch, their bytes back to back. */
  private static final class RecordBatch {
    byte[] data = new byte[BATCH_BYTES];
    int used;
    int count;
    final int[] starts = new int[BATCH_RECORDS];
    final int[] lengths = new int[BATCH_RECORDS];
    final long[] lines = new long[BATCH_RECORDS];
    final boolean[] lastWithoutNewline = new boolean[BATCH_RECORDS];
    final Rejection[] rejected = new Rejection[BATCH_RECORDS];

    boolean full() {
      return count == BATCH_RECORDS || used >= BATCH_BYTES;
    }

    void add(byte[] bytes, int length, long line, boolean lastWithoutNewline) {
      if (used + length > data.length) {
        data = Arrays.copyOf(data, Math.max(used + length, data.length * 2));
      }
      System.arraycopy(bytes, 0, data, used, length);
      starts[count] = used;
      lengths[count] = length;
      lines[count] = line;
      this.lastWithoutNewline[count] = lastWithoutNewline;
      used += length;
      count++;
    }

    void reject(Rejection rejection) {
      lines[count] = rejection.line();
      rejected[count++] = rejection;
    }
  }

  private record PendingBatch(RecordBatch batch, Future<Object[]> results) {}

  /** Turns lines into batches of records on the calling thread. */
  private final class Splitter {
    final LineReader lines;
    private final String source;
    private final CatalogSink sink;
    private boolean first = true;
    private long nextProgress = PROGRESS_EVERY_BYTES;
    private byte[] joined = new byte[256];

    Splitter(LineReader lines, String source, CatalogSink sink) {
      this.lines = lines;
      this.source = source;
      this.sink = sink;
    }

    /** The next batch, or null at the end of the input. */
    RecordBatch next() throws IOException {
      RecordBatch batch = new RecordBatch();
      while (!batch.full() && lines.next()) {
        if (lines.bytesRead() >= nextProgress) {
          sink.progress(lines.bytesRead());
          nextProgress = lines.bytesRead() + PROGRESS_EVERY_BYTES;
        }
        long line = lines.lineNumber();
        if (lines.tooLong()) {
          batch.reject(tooLong(line, lines.tooLongBytes()));
          continue;
        }
        if (lines.isBlank()) {
          continue;
        }
        if (first) {
          first = false;
          if (header(line)) {
            continue;
          }
        }
        byte[] record = lines.bytes();
        int length = lines.length();
        if (needsContinuation(record, length) && lines.endedWithNewline()) {
          length = join(record, length);
          record = joined;
          if (length < 0) {
            batch.reject(tooLong(line, -length));
            continue;
          }
        }
        batch.add(record, length, line, !lines.endedWithNewline());
      }
      return batch.count == 0 ? null : batch;
    }

    /**
     * Copies the record into {@link #joined} and appends following lines while a quoted field stays
     * open; returns its length, negated when it grew over the record limit.
     */
    private int join(byte[] first, int length) throws IOException {
      ensure(length);
      System.arraycopy(first, 0, joined, 0, length);
      int total = length;
      while (needsContinuation(joined, total) && lines.endedWithNewline() && lines.next()) {
        if (lines.tooLong() || total + 1L + lines.length() > CatalogLimits.MAX_RECORD_BYTES) {
          return -(int)
              Math.min(
                  Integer.MAX_VALUE, total + 1L + Math.max(lines.length(), lines.tooLongBytes()));
        }
        ensure(total + 1 + lines.length());
        joined[total++] = '\n';
        System.arraycopy(lines.bytes(), 0, joined, total, lines.length());
        total += lines.length();
      }
      return total;
    }

    private void ensure(int capacity) {
      if (joined.length < capacity) {
        joined = Arrays.copyOf(joined, Math.max(capacity, joined.length * 2));
      }
    }

    private boolean header(long line) throws IOException {
      String text;
      try {
        text = utf8.decode(lines.bytes(), 0, lines.length());
      } catch (InvalidFieldException e) {
        if (needsHeader()) {
          throw new IOException(source + ":" + line + ": the header row is not valid UTF-8", e);
        }
        return false;
      }
      try {
        return isHeader(text);
      } catch (IOException e) {
        throw new IOException(source + ":" + line + ": " + e.getMessage(), e);
      }
    }

    private Rejection tooLong(long line, long bytes) {
      return new Rejection(
          source,
          line,
          "row",
          null,
          RejectReason.FIELD_TOO_LONG,
          "row is " + bytes + " bytes, the limit is " + CatalogLimits.MAX_RECORD_BYTES);
    }
  }

  /** Parse threads, each with its own fork of this reader. */
  private final class ParsePool implements AutoCloseable {
    private final ExecutorService executor;
    private final ConcurrentLinkedQueue<LineCatalogReader> idle = new ConcurrentLinkedQueue<>();

    ParsePool(int threads) {
      executor =
          Executors.newFixedThreadPool(
              threads, Thread.ofPlatform().name("magpie-load-parse-", 1).daemon(true).factory());
    }

    Future<Object[]> parse(RecordBatch batch, String source) {
      return executor.submit(
          () -> {
            LineCatalogReader parser = idle.poll();
            if (parser == null) {
              parser = fork();
            }
            try {
              return parser.parseBatch(batch, source);
            } finally {
              idle.add(parser);
            }
          });
    }

    Object[] await(Future<Object[]> results) throws IOException {
      try {
        return results.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while parsing");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IOException(e.getCause());
      }
    }

    @Override
    public void close() {
      executor.shutdownNow();
      try {
        executor.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
