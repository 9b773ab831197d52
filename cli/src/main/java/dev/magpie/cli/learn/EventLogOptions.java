package dev.magpie.cli.learn;

import dev.magpie.ingest.events.EventFormat;
import dev.magpie.learn.recommend.EventLog;
import dev.magpie.learn.recommend.ItemLabels;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The event log options of eval recommend and train recommend, and reading the log they name. */
final class EventLogOptions {
  @Option(names = "--events", required = true, paramLabel = "FILE", description = "The event log.")
  Path events;

  @Option(
      names = "--format",
      defaultValue = "generic",
      paramLabel = "generic|taobao|movielens",
      description = "Layout of the log (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--items",
      paramLabel = "FILE",
      description =
          "CSV of item labels: an id column and genres ('|') or category ('>'), used as categories.")
  Path items;

  @Option(
      names = "--min-events",
      defaultValue = "2",
      description = "Users with fewer events are left out (default: ${DEFAULT-VALUE}).")
  int minEvents;

  /**
   * The format named by --format, checked with --min-events.
   *
   * @throws IllegalArgumentException naming the option and value
   */
  EventFormat format() {
    if (minEvents < 2) {
      throw new IllegalArgumentException(
          "--min-events must be 2 or more (one to hide, one to learn from), got " + minEvents);
    }
    return EventFormat.parse(format);
  }

  /** Reads the log, reporting the first 10 bad events (and how many in all) to {@code err}. */
  EventLog read(EventFormat f, PrintWriter err) throws IOException {
    EventLog log = EventLog.read(events, f, items == null ? null : ItemLabels.read(items));
    log.rejected().stream().limit(10).forEach(r -> err.println("skipped " + r));
    if (log.rejected().size() > 10) {
      err.printf(Locale.ROOT, "... %,d bad events skipped in all%n", log.rejected().size());
    }
    return log;
  }
}
