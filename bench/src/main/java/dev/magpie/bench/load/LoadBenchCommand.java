package dev.magpie.bench.load;

import dev.magpie.api.v1.SearchHit;
import dev.magpie.api.v1.SearchResponse;
import dev.magpie.client.MagpieClient;
import dev.magpie.loader.MagpieSubcommand;
import dev.magpie.samples.SampleData;
import io.grpc.StatusRuntimeException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.HdrHistogram.Histogram;
import dev.magpie.server.query.ConnectionOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code magpie bench load}: sends a constant rate of requests (a mix of search, get, recommend,
 * update and add) to a server on this machine for a duration, after a warm-up at the same rate, and prints
 * latency percentiles by operation and outcome, counted from each request's intended send time.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = "Open-loop constant-rate load against a local server: latency from intended send times"
        + " (no coordinated omission), by operation and outcome.")
public final class LoadBenchCommand implements MagpieSubcommand {
  /** Longest run, warm-up included. */
  static final int MAX_SECONDS = 600;
  /** Highest rate. */
  static final double MAX_RATE = 100_000;

  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Option(names = "--rate", defaultValue = "200", description = "Requests per second (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--duration-s", defaultValue = "30", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(names = "--warmup-s", defaultValue = "10", description = "Warm-up seconds at the same rate, not measured"
      + " (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(names = "--mix", defaultValue = "search=1", split = ",", paramLabel = "OP=WEIGHT",
      description = "Operations and weights: search, get, recommend, update, add (default: ${DEFAULT-VALUE}).")
  Map<String, Double> mix;

  @Option(names = "--queries", paramLabel = "FILE",
      description = "Search queries, one per line (TSV: the last column); default: the sample's judged queries.")
  Path queries;

  @Option(names = "-k", defaultValue = "10", description = "Hits per search (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--max-in-flight", defaultValue = "5000", description = "Outstanding requests at most"
      + " (default: ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the request sequence (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String problem = check();
    if (problem != null) {
      err.println("magpie bench load: " + problem);
      return USAGE;
    }
    double[] weights = new double[Operation.values().length];
    for (Map.Entry<String, Double> e : mix.entrySet()) {
      Operation op = null;
      for (Operation o : Operation.values()) {
        if (o.label().equals(e.getKey())) {
          op = o;
        }
      }
      if (op == null || !(e.getValue() >= 0)) {
        err.println("magpie bench load: --mix " + e.getKey() + "=" + e.getValue()
            + ": operations are search, get, recommend, update, add with weights of 0 or more");
        return USAGE;
      }
      weights[op.ordinal()] = e.getValue();
    }
    List<String> texts = readQueries();
    try (MagpieClient client = connection.open(0)) {
      List<String> ids = knownIds(client, texts);
      if (ids.isEmpty()) {
        err.println("magpie bench load: no search of the first queries found an item: is the server serving a catalog?");
        return FAILED;
      }
      OpenLoopRun.Settings warm = new OpenLoopRun.Settings(rate, Duration.ofSeconds(warmupSeconds), weights, k,
          connection.deadline(), maxInFlight);
      OpenLoopRun.Settings measured = new OpenLoopRun.Settings(rate, Duration.ofSeconds(durationSeconds), weights, k,
          connection.deadline(), maxInFlight);
      Random random = new Random(seed);
      LatencyBook book = new LatencyBook();
      if (warmupSeconds > 0) {
        out.printf(Locale.ROOT, "warming up: %.0f requests/s for %d s%n", rate, warmupSeconds);
        out.flush();
        new OpenLoopRun(client.async(), warm, texts, ids, random).run(book);
        book.drain();
      }
      out.printf(Locale.ROOT, "measuring: %.0f requests/s for %d s against %s:%d (%d queries, %d known ids)%n", rate,
          durationSeconds, connection.host(), connection.port(), texts.size(), ids.size());
      out.flush();
      OpenLoopRun.Result result = new OpenLoopRun(client.async(), measured, texts, ids, random).run(book);
      print(out, result, book.drain());
    } catch (StatusRuntimeException e) {
      err.println("magpie bench load: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
      return FAILED;
    }
    return OK;
  }

  private String check() throws IOException {
    if (!InetAddress.getByName(connection.host()).isLoopbackAddress()) {
      return "--host " + connection.host() + " is not a loopback address: load runs only against this machine";
    }
    if (!(rate > 0 && rate <= MAX_RATE)) {
      return "--rate must be above 0 and at most " + (long) MAX_RATE + ", got " + rate;
    }
    if (durationSeconds < 1 || warmupSeconds < 0 || durationSeconds + warmupSeconds > MAX_SECONDS) {
      return "--duration-s must be 1 or more and with --warmup-s at most " + MAX_SECONDS + " in all";
    }
    if (k < 1 || maxInFlight < 1) {
      return "-k and --max-in-flight must be 1 or more";
    }
    return null;
  }

  private List<String> readQueries() throws IOException {
    try (InputStream in = queries == null ? SampleData.open(SampleData.QUERIES) : Files.newInputStream(queries);
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      List<String> texts = new ArrayList<>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String text = line.substring(line.lastIndexOf('\t') + 1).strip();
        if (!text.isEmpty()) {
          texts.add(text);
        }
      }
      if (texts.isEmpty()) {
        throw new IOException((queries == null ? "the sample queries" : queries) + ": no query");
      }
      return texts;
    }
  }

  /** Ids of items the server has, from the hits of the first queries (for get, recommend, update). */
  private static List<String> knownIds(MagpieClient client, List<String> texts) {
    Set<String> ids = new LinkedHashSet<>();
    for (int i = 0; i < Math.min(20, texts.size()); i++) {
      SearchResponse r = client.search(texts.get(i), 10);
      for (SearchHit hit : r.getHitsList()) {
        ids.add(hit.getItem().getId());
      }
    }
    return new ArrayList<>(ids);
  }

  private static void print(PrintWriter out, OpenLoopRun.Result result, Map<Operation, Map<Outcome, Histogram>> book) {
    out.printf(Locale.ROOT, "sent %,d in %.1f s (%.1f/s)%s; generator at worst %.2f ms late%n", result.sent(),
        result.seconds(), result.sent() / result.seconds(),
        result.dropped() == 0 ? "" : String.format(Locale.ROOT, ", %,d not sent (too many outstanding)",
            result.dropped()), result.maxLagMicros() / 1000.0);
    out.printf(Locale.ROOT, "%-10s %-8s %9s %9s %9s %9s %9s %9s%n", "operation", "outcome", "count", "p50 ms",
        "p90 ms", "p99 ms", "p99.9 ms", "max ms");
    book.forEach((op, byOutcome) -> byOutcome.forEach((outcome, h) -> {
      if (h.getTotalCount() > 0) {
        out.printf(Locale.ROOT, "%-10s %-8s %,9d %9.2f %9.2f %9.2f %9.2f %9.2f%n", op.label(),
            outcome.name().toLowerCase(Locale.ROOT), h.getTotalCount(), ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9),
            h.getMaxValue() / 1000.0);
      }
    }));
    out.flush();
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }
}
