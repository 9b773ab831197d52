package dev.magpie.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code magpie bench scale}: the tail latency of a routed search over S shards, from one shard's
 * latency distribution measured by {@code bench load --json} ({@link FanOut}), with and without the
 * router's hedging; a table and a CSV for {@code bench plot}.
 */
@Command(
    name = "scale",
    mixinStandardHelpOptions = true,
    description =
        "Tail at scale: a routed search's shard phase over S shards, from one shard's measured"
            + " latencies (bench load --json), with and without hedging.")
public final class ScaleCommand implements Callable<Integer> {
  @Option(
      names = "--latencies",
      required = true,
      paramLabel = "FILE",
      description = "A report of bench load --json against one shard server.")
  Path latencies;

  @Option(
      names = "--phase",
      defaultValue = "measured",
      paramLabel = "NAME",
      description = "The report's phase to read (default: ${DEFAULT-VALUE}).")
  String phase;

  @Option(
      names = "--operation",
      defaultValue = "search",
      paramLabel = "OP",
      description =
          "The operation whose answered calls are the shard's latencies (default: ${DEFAULT-VALUE}).")
  String operation;

  @Option(
      names = "--shards",
      split = ",",
      defaultValue = "1,4,16,64,256,1024",
      paramLabel = "S",
      description = "Shard counts (default: ${DEFAULT-VALUE}).")
  List<Integer> shards;

  @Option(
      names = "--hedge-percentile",
      defaultValue = "95",
      paramLabel = "P",
      description =
          "Hedge after the shard's P-th percentile, as the router does (default: ${DEFAULT-VALUE}).")
  double hedgePercentile;

  @Option(
      names = "--csv",
      paramLabel = "FILE",
      description = "Also write the table as CSV (milliseconds).")
  Path csv;

  @Override
  public Integer call() throws IOException {
    Histogram shard;
    try {
      shard = read(latencies, phase, operation);
    } catch (IllegalArgumentException e) {
      System.err.println("bench scale: " + e.getMessage());
      return 2;
    }
    FanOut model = new FanOut(shard);
    long hedge = model.shardPercentile(hedgePercentile);
    System.out.printf(
        Locale.ROOT,
        "one shard: %,d calls, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms;"
            + " hedge after %.2f ms sends %.1f%% of calls twice (\">=\": beyond the slowest call"
            + " measured)%n",
        shard.getTotalCount(),
        ms(model.shardPercentile(50)),
        ms(model.shardPercentile(95)),
        ms(model.shardPercentile(99)),
        ms(model.shardPercentile(99.9)),
        ms(shard.getMaxValue()),
        ms(hedge),
        100 * model.hedgedShare(hedge));
    StringBuilder out =
        new StringBuilder(
            "shards,p50_ms,p99_ms,p999_ms,hedged_p50_ms,hedged_p99_ms,hedged_p999_ms\n");
    System.out.println(
        "shards    p50 ms    p99 ms  p99.9 ms  | hedged:  p50 ms    p99 ms  p99.9 ms");
    for (int s : shards) {
      if (s < 1) {
        System.err.println("bench scale: --shards must be 1 or more, got " + s);
        return 2;
      }
      double[] row = {
        ms(model.percentile(s, 50, -1)),
        ms(model.percentile(s, 99, -1)),
        ms(model.percentile(s, 99.9, -1)),
        ms(model.percentile(s, 50, hedge)),
        ms(model.percentile(s, 99, hedge)),
        ms(model.percentile(s, 99.9, hedge))
      };
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%6d", s));
      for (int i = 0; i < row.length; i++) {
        // At the slowest call measured, the quantile lies beyond what the sample shows: at least
        // that, not that.
        String v =
            (row[i] >= ms(shard.lowestEquivalentValue(shard.getMaxValue())) ? ">=" : "")
                + String.format(Locale.ROOT, "%.2f", row[i]);
        line.append(String.format(Locale.ROOT, i == 3 ? "  |         %8s" : "  %8s", v));
      }
      System.out.println(line);
      out.append(s);
      for (double v : row) {
        out.append(String.format(Locale.ROOT, ",%.3f", v));
      }
      out.append('\n');
    }
    if (csv != null) {
      Path parent = csv.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(csv, out, StandardCharsets.UTF_8);
    }
    return 0;
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }

  /**
   * The histogram of {@code operation}'s answered calls in {@code phase} of a load report.
   *
   * @throws IllegalArgumentException naming what the report lacks
   */
  static Histogram read(Path report, String phase, String operation) throws IOException {
    JsonNode root = new ObjectMapper().readTree(report.toFile());
    for (JsonNode p : root.path("phases")) {
      if (!phase.equals(p.path("name").asText())) {
        continue;
      }
      JsonNode encoded = p.path("operations").path(operation).path("ok").path("histogram");
      if (!encoded.isTextual()) {
        throw new IllegalArgumentException(
            report
                + ": phase '"
                + phase
                + "' has no histogram of answered '"
                + operation
                + "' calls (a report of bench load --json from this build?)");
      }
      try {
        return Histogram.decodeFromCompressedByteBuffer(
            ByteBuffer.wrap(Base64.getDecoder().decode(encoded.asText())), 0);
      } catch (DataFormatException e) {
        throw new IllegalArgumentException(report + ": unreadable histogram: " + e.getMessage(), e);
      }
    }
    throw new IllegalArgumentException(report + ": no phase '" + phase + "'");
  }
}
