package dev.magpie.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A load run as JSON, for scripts: the settings, every phase (rate, sent, seconds, and per outcome
 * and per operation the count and latency percentiles in ms) and the mode's verdict; and a CSV
 * beside it, a row per phase, for {@code magpie bench plot}.
 */
final class LoadReport {
  private static final double[] PERCENTILES = {50, 90, 99, 99.9};

  private final Map<String, Object> root = new LinkedHashMap<>();
  private final List<Map<String, Object>> phases = new ArrayList<>();
  private final StringBuilder csv =
      new StringBuilder(
          "phase,rate,sent,goodput,p50_ms,p90_ms,p99_ms,max_ms,shed_share,shed_p50_ms,shed_p99_ms,timeout_share,degraded_share\n");

  /** A report of a run in {@code mode} with these settings. */
  LoadReport(String mode, Map<String, Object> settings) {
    root.put("mode", mode);
    root.put("settings", settings);
    root.put("phases", phases);
  }

  /** Adds {@code phase}. */
  void add(Phase phase) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("name", phase.name());
    p.put("rate", phase.rate());
    p.put("sent", phase.result().sent());
    p.put("dropped", phase.result().dropped());
    p.put("seconds", phase.result().seconds());
    p.put("generator_max_lag_ms", phase.result().maxLagMicros() / 1000.0);
    p.put("goodput", phase.okPerSecond());
    Map<String, Object> outcomes = new LinkedHashMap<>();
    for (Outcome o : Outcome.values()) {
      outcomes.put(label(o), latencies(phase.all(o)));
    }
    p.put("outcomes", outcomes);
    Map<String, Object> operations = new LinkedHashMap<>();
    phase
        .book()
        .forEach(
            (op, byOutcome) -> {
              Map<String, Object> ends = new LinkedHashMap<>();
              byOutcome.forEach(
                  (o, h) -> {
                    if (h.getTotalCount() > 0) {
                      ends.put(label(o), latencies(h));
                    }
                  });
              if (!ends.isEmpty()) {
                operations.put(op.label(), ends);
              }
            });
    p.put("operations", operations);
    phases.add(p);
    csv.append(
        String.format(
            Locale.ROOT,
            "%s,%.1f,%d,%.2f,%.3f,%.3f,%.3f,%.3f,%.5f,%.3f,%.3f,%.5f,%.5f%n",
            phase.name().replace(',', ' '),
            phase.rate(),
            phase.result().sent(),
            phase.okPerSecond(),
            phase.ms(Outcome.OK, 50),
            phase.ms(Outcome.OK, 90),
            phase.ms(Outcome.OK, 99),
            phase.maxMs(Outcome.OK),
            phase.fraction(Outcome.SHED),
            phase.ms(Outcome.SHED, 50),
            phase.ms(Outcome.SHED, 99),
            phase.fraction(Outcome.TIMEOUT),
            phase.fraction(Outcome.DEGRADED)));
  }

  /** Sets the verdict's {@code key} (a number, string or boolean). */
  void verdict(String key, Object value) {
    @SuppressWarnings("unchecked")
    Map<String, Object> verdict =
        (Map<String, Object>) root.computeIfAbsent("verdict", k -> new LinkedHashMap<>());
    verdict.put(key, value);
  }

  /** Writes the report to {@code file}, and its phases to the CSV {@link #csvBeside} it. */
  void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    Files.writeString(csvBeside(file), csv);
  }

  /** The CSV written beside the JSON {@code file}: its name with ".csv" for ".json". */
  static Path csvBeside(Path file) {
    String name = file.getFileName().toString();
    return file.resolveSibling(
        (name.endsWith(".json") ? name.substring(0, name.length() - 5) : name) + ".csv");
  }

  private static Map<String, Object> latencies(Histogram h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", h.getTotalCount());
    if (h.getTotalCount() > 0) {
      for (double p : PERCENTILES) {
        m.put(
            "p" + String.valueOf(p).replace(".0", "") + "_ms", h.getValueAtPercentile(p) / 1000.0);
      }
      m.put("max_ms", h.getMaxValue() / 1000.0);
      // The whole distribution (µs, HdrHistogram's compressed form, base64), for bench scale.
      ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
      int length = h.encodeIntoCompressedByteBuffer(buffer);
      m.put("histogram", Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length)));
    }
    return m;
  }

  private static String label(Outcome o) {
    return o.name().toLowerCase(Locale.ROOT);
  }
}
