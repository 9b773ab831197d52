package dev.magpie.ingest.load;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows how far a load is: on a terminal a bar redrawn in place with percentage, rate and ETA;
 * otherwise (a log, CI) a plain line every few seconds. Rendering is rate-limited, so calling
 * {@link #update} for every row costs a clock read.
 */
public final class Progress {
  /** How to show progress. */
  public enum Mode {
    /** A bar on a terminal, lines otherwise. */
    AUTO,
    /** Always the bar. */
    BAR,
    /** Always plain lines. */
    LINES,
    /** Nothing. */
    NONE
  }

  private static final long BAR_INTERVAL_NANOS = 200_000_000L;
  private static final long LINE_INTERVAL_NANOS = 5_000_000_000L;
  private static final int BAR_WIDTH = 28;

  private final PrintStream out;
  private final Mode mode;
  private final long totalBytes;
  private final long start = System.nanoTime();
  private long lastRender = start;
  private long bytes;
  private long items;
  private boolean drawn;

  /**
   * @param out where to draw (standard error, so standard output stays clean)
   * @param mode the requested mode; {@link Mode#AUTO} is resolved here
   * @param totalBytes input size for percentage and ETA, or -1 when unknown
   */
  public Progress(PrintStream out, Mode mode, long totalBytes) {
    this.out = out;
    this.mode = mode == Mode.AUTO ? (isTerminal() ? Mode.BAR : Mode.LINES) : mode;
    this.totalBytes = totalBytes;
  }

  private static boolean isTerminal() {
    Console console = System.console();
    return console != null && console.isTerminal();
  }

  /** The resolved mode. */
  public Mode mode() {
    return mode;
  }

  /** Records the bytes consumed so far (over all sources) and the items accepted. */
  public void update(long bytesDone, long itemsDone) {
    bytes = bytesDone;
    items = itemsDone;
    if (mode == Mode.NONE) {
      return;
    }
    long now = System.nanoTime();
    long interval = mode == Mode.BAR ? BAR_INTERVAL_NANOS : LINE_INTERVAL_NANOS;
    if (now - lastRender >= interval) {
      lastRender = now;
      render(now, false);
    }
  }

  /** Draws the final state and ends the bar's line. */
  public void finish(String phase) {
    if (mode == Mode.NONE) {
      return;
    }
    render(System.nanoTime(), true);
    if (mode == Mode.BAR) {
      out.println();
    }
    if (phase != null) {
      out.println(phase);
    }
    out.flush();
  }

  private void render(long now, boolean done) {
    double seconds = Math.max(1e-9, (now - start) / 1e9);
    double rate = items / seconds;
    double fraction = totalBytes > 0 ? Math.min(1.0, (double) bytes / totalBytes) : -1;
    if (done && totalBytes > 0) {
      fraction = 1.0;
    }
    String eta = "";
    if (fraction > 0 && fraction < 1) {
      eta = "  ETA " + duration(seconds * (1 - fraction) / fraction);
    }
    String stats =
        String.format(
            Locale.ROOT,
            "%,d items  %,.0f items/s  %.1f MB/s  %s",
            items,
            rate,
            bytes / seconds / 1e6,
            duration(seconds));
    if (mode == Mode.BAR) {
      StringBuilder bar = new StringBuilder("\r[");
      int filled = fraction < 0 ? 0 : (int) Math.round(fraction * BAR_WIDTH);
      for (int i = 0; i < BAR_WIDTH; i++) {
        bar.append(i < filled ? '#' : fraction < 0 ? '?' : '-');
      }
      bar.append("] ");
      bar.append(fraction < 0 ? "  ?%" : String.format(Locale.ROOT, "%3.0f%%", fraction * 100));
      bar.append("  ").append(stats).append(eta).append("    ");
      out.print(bar);
      drawn = true;
    } else {
      out.println(
          "load: "
              + (fraction < 0 ? "" : String.format(Locale.ROOT, "%.0f%%  ", fraction * 100))
              + stats
              + eta);
    }
    out.flush();
  }

  /** Ends the bar's current line, so a message can be printed between redraws. */
  public void interrupt() {
    if (mode == Mode.BAR && drawn) {
      out.println();
      drawn = false;
    }
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (seconds < 10) {
      return String.format(Locale.ROOT, "%.1fs", seconds);
    }
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
