package dev.magpie.bench.load;

import dev.magpie.api.v1.SearchHit;
import dev.magpie.api.v1.SearchResponse;
import dev.magpie.cli.MagpieSubcommand;
import dev.magpie.cli.query.ConnectionOptions;
import dev.magpie.client.MagpieClient;
import dev.magpie.engine.embed.MiniLmEmbedder;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code magpie bench load}: sends a constant rate of requests (a mix of search, get, recommend,
 * update and add) to a server on this machine and prints latency percentiles by operation and
 * outcome, counted from each request's intended send time. Three modes: {@code fixed} (one rate for
 * a duration, after a warm-up), {@code step} (rates rising by a factor until p99 passes a bound or
 * requests are shed: the highest rate that held is the sustainable rate), and {@code overload} (the
 * sustainable rate, then a multiple of it, then the rate again: goodput, admitted p99 against the
 * unloaded one, how many are shed and how fast). Optionally writes the run as JSON.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description =
        "Open-loop constant-rate load against a local server: latency from intended send times"
            + " (no coordinated omission), by operation and outcome.")
public final class LoadBenchCommand implements MagpieSubcommand {
  /** Longest run, warm-up included. */
  static final int MAX_SECONDS = 600;

  /**
   * One query in this many warms up (and finds known ids); the measured phases draw from the rest.
   */
  static final int WARM_SHARE = 5;

  /** Highest rate. */
  static final double MAX_RATE = 100_000;

  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Option(
      names = "--rate",
      defaultValue = "200",
      description = "Requests per second (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--duration-s",
      defaultValue = "30",
      description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(
      names = "--warmup-s",
      defaultValue = "10",
      description =
          "Warm-up seconds at the same rate, not measured" + " (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(
      names = "--mix",
      defaultValue = "search=1",
      split = ",",
      paramLabel = "OP=WEIGHT",
      description =
          "Operations and weights: search, get, recommend, update, add (default: ${DEFAULT-VALUE}).")
  Map<String, Double> mix;

  @Option(
      names = "--queries",
      paramLabel = "FILE",
      description =
          "Search queries, one per line (TSV: the last column); default: the sample's judged queries."
              + " The first fifth warm up, the rest are timed: no timed query runs before its phase.")
  Path queries;

  @Option(
      names = "-k",
      defaultValue = "10",
      description = "Hits per search (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--max-in-flight",
      defaultValue = "5000",
      description = "Outstanding requests at most" + " (default: ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the request sequence (default: ${DEFAULT-VALUE}).")
  long seed;

  /** What a run measures. */
  enum Mode {
    /** One rate for --duration-s. */
    FIXED,
    /** Rising rates until one fails: the sustainable rate. */
    STEP,
    /** Baseline at --rate, --overload times it, then --rate again. */
    OVERLOAD
  }

  @Option(
      names = "--mode",
      defaultValue = "fixed",
      description = "fixed, step or overload (default: ${DEFAULT-VALUE}).")
  String modeName;

  @Option(
      names = "--p99-bound-ms",
      defaultValue = "50",
      description =
          "step: the p99 of answers a rate must stay" + " under (default: ${DEFAULT-VALUE}).")
  double p99BoundMs;

  @Option(
      names = "--step-s",
      defaultValue = "10",
      description = "step: seconds at each rate (default: ${DEFAULT-VALUE}).")
  int stepSeconds;

  @Option(
      names = "--step-factor",
      defaultValue = "1.25",
      description = "step: each rate is the last times this" + " (default: ${DEFAULT-VALUE}).")
  double stepFactor;

  @Option(
      names = "--max-rate",
      defaultValue = "100000",
      description = "step: the highest rate tried" + " (default: ${DEFAULT-VALUE}).")
  double maxRate;

  @Option(
      names = "--max-failed",
      defaultValue = "0.01",
      description =
          "step: the share of requests a rate may"
              + " lose (shed, timed out, failed, not sent) and still hold (default: ${DEFAULT-VALUE}).")
  double maxFailed;

  @Option(
      names = "--overload",
      defaultValue = "5",
      description =
          "overload: the overload rate as a multiple of" + " --rate (default: ${DEFAULT-VALUE}).")
  double overloadFactor;

  @Option(
      names = "--recovery-s",
      defaultValue = "10",
      description =
          "overload: seconds back at --rate after the" + " overload (default: ${DEFAULT-VALUE}).")
  int recoverySeconds;

  /** What the requests go to. */
  enum TargetKind {
    /** A Magpie server over gRPC. */
    MAGPIE,
    /** An OpenSearch node over HTTP ({@code bench/peers}' hybrid), searches only. */
    OPENSEARCH
  }

  @Option(
      names = "--target",
      defaultValue = "magpie",
      description =
          "magpie (gRPC) or opensearch (HTTP, the hybrid of bench/peers: MiniLM here, one _msearch"
              + " of BM25 and knn, min-max linear fusion; searches only) (default: ${DEFAULT-VALUE}).")
  String targetName;

  @Option(
      names = "--opensearch-index",
      defaultValue = "catalog",
      description = "opensearch: the index searched (default: ${DEFAULT-VALUE}).")
  String openSearchIndex;

  @Option(
      names = "--ef-search",
      defaultValue = "160",
      description = "opensearch: knn's ef_search, Magpie's default ef (default: ${DEFAULT-VALUE}).")
  int efSearch;

  @Option(
      names = "--candidates",
      defaultValue = "100",
      description =
          "opensearch: hits asked of each of BM25 and knn before fusion, as Magpie's fusion takes"
              + " 100 from each channel (default: ${DEFAULT-VALUE}).")
  int candidates;

  @Option(
      names = "--embed-threads",
      defaultValue = "0",
      description =
          "opensearch: threads embedding queries in the generator; 0: one per core"
              + " (default: ${DEFAULT-VALUE}).")
  int embedThreads;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Also write the run, every phase, as JSON.")
  Path json;

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
        err.println(
            "magpie bench load: --mix "
                + e.getKey()
                + "="
                + e.getValue()
                + ": operations are search, get, recommend, update, add with weights of 0 or more");
        return USAGE;
      }
      weights[op.ordinal()] = e.getValue();
    }
    Mode mode = mode();
    List<String> texts = readQueries();
    // The warm-up and the lookups of known ids run the first fifth of the queries; the measured
    // phases draw from the rest, so that no timed query ran before its phase.
    int warmCount = texts.size() < 2 ? texts.size() : Math.max(1, texts.size() / WARM_SHARE);
    List<String> warmTexts = texts.subList(0, warmCount);
    Set<String> warmed = new HashSet<>(warmTexts);
    List<String> timedTexts =
        texts.size() < 2 ? texts : texts.stream().filter(t -> !warmed.contains(t)).toList();
    TargetKind kind = targetKind();
    if (kind == TargetKind.OPENSEARCH) {
      for (Operation op : Operation.values()) {
        if (op != Operation.SEARCH && weights[op.ordinal()] > 0) {
          err.println(
              "magpie bench load: --target opensearch sends searches only, but --mix has "
                  + op.label());
          return USAGE;
        }
      }
    }
    try (MagpieClient client = kind == TargetKind.MAGPIE ? connection.open(0) : null;
        MiniLmEmbedder embedder = kind == TargetKind.OPENSEARCH ? new MiniLmEmbedder() : null;
        LoadTarget target =
            kind == TargetKind.MAGPIE
                ? new MagpieTarget(client.async(), connection.deadline())
                : new OpenSearchTarget(
                    connection.port(),
                    openSearchIndex,
                    candidates,
                    efSearch,
                    embedder,
                    embedThreads > 0 ? embedThreads : Runtime.getRuntime().availableProcessors(),
                    connection.deadline())) {
      List<String> ids = client == null ? List.of() : knownIds(client, warmTexts);
      if (client != null && ids.isEmpty()) {
        err.println(
            "magpie bench load: no search of the first queries found an item: is the server serving a catalog?");
        return FAILED;
      }
      if (client == null) {
        Outcome first = target.search(warmTexts.get(0), k).get();
        if (first != Outcome.OK) {
          err.println(
              "magpie bench load: a first search of OpenSearch ended "
                  + first.name().toLowerCase(Locale.ROOT)
                  + ": is a node serving index '"
                  + openSearchIndex
                  + "' on port "
                  + connection.port()
                  + "? (bench/peers/run.sh --serve-s)");
          return FAILED;
        }
      }
      Runner runner = new Runner(target, weights, timedTexts, ids, new Random(seed));
      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("target", kind.name().toLowerCase(Locale.ROOT));
      settings.put("host", connection.host());
      settings.put("port", connection.port());
      settings.put("mix", mix);
      settings.put("k", k);
      settings.put("deadline_ms", connection.deadline().toMillis());
      LoadReport report = new LoadReport(mode.name().toLowerCase(Locale.ROOT), settings);
      if (warmupSeconds > 0) {
        out.printf(Locale.ROOT, "warming up: %.0f requests/s for %d s%n", rate, warmupSeconds);
        out.flush();
        runner.warmUp(warmTexts, rate, warmupSeconds);
      }
      out.printf(
          Locale.ROOT,
          "against %s:%d (%d queries timed, %d others for the warm-up; %d known ids)%n",
          connection.host(),
          connection.port(),
          timedTexts.size(),
          warmTexts.size(),
          ids.size());
      switch (mode) {
        case FIXED -> fixed(runner, report, out);
        case STEP -> step(runner, report, out);
        case OVERLOAD -> overload(runner, report, out);
      }
      if (json != null) {
        report.write(json);
        out.println("wrote " + json + " and " + LoadReport.csvBeside(json));
      }
    } catch (StatusRuntimeException e) {
      err.println(
          "magpie bench load: " + e.getStatus().getCode() + ": " + e.getStatus().getDescription());
      return FAILED;
    }
    return OK;
  }

  private TargetKind targetKind() {
    return TargetKind.valueOf(targetName.toUpperCase(Locale.ROOT));
  }

  private Mode mode() {
    return Mode.valueOf(modeName.toUpperCase(Locale.ROOT));
  }

  /** Runs phases of the run's mix against one client, one after another. */
  private final class Runner {
    private final LoadTarget target;
    private final double[] weights;
    private final List<String> texts;
    private final List<String> ids;
    private final Random random;
    private final LatencyBook book = new LatencyBook();

    Runner(
        LoadTarget target, double[] weights, List<String> texts, List<String> ids, Random random) {
      this.target = target;
      this.weights = weights;
      this.texts = texts;
      this.ids = ids;
      this.random = random;
    }

    Phase run(String name, double perSecond, int seconds) throws InterruptedException {
      return run(name, perSecond, seconds, null, OpenLoopRun.startNow());
    }

    /** The warm-up: the mix at {@code perSecond}, its searches drawn from {@code warmTexts}. */
    void warmUp(List<String> warmTexts, double perSecond, int seconds) throws InterruptedException {
      run("warm-up", perSecond, seconds, null, OpenLoopRun.startNow(), warmTexts);
    }

    /** A phase from {@code start}, each request also in {@code timeline} when not null. */
    Phase run(String name, double perSecond, int seconds, Timeline timeline, long start)
        throws InterruptedException {
      return run(name, perSecond, seconds, timeline, start, texts);
    }

    private Phase run(
        String name,
        double perSecond,
        int seconds,
        Timeline timeline,
        long start,
        List<String> queries)
        throws InterruptedException {
      OpenLoopRun.Settings settings =
          new OpenLoopRun.Settings(
              perSecond,
              Duration.ofSeconds(seconds),
              weights,
              k,
              connection.deadline(),
              maxInFlight);
      book.drain();
      OpenLoopRun.Result result =
          new OpenLoopRun(target, settings, queries, ids, random).run(book, timeline, start);
      return new Phase(name, perSecond, result, book.drain());
    }
  }

  private void fixed(Runner runner, LoadReport report, PrintWriter out)
      throws InterruptedException {
    out.printf(Locale.ROOT, "measuring: %.0f requests/s for %d s%n", rate, durationSeconds);
    out.flush();
    Phase phase = runner.run("measured", rate, durationSeconds);
    report.add(phase);
    print(out, phase.result(), phase.book());
  }

  /**
   * Rates rising by --step-factor from --rate until one fails; the last that held is sustainable.
   */
  private void step(Runner runner, LoadReport report, PrintWriter out) throws InterruptedException {
    out.printf(
        Locale.ROOT,
        "stepping from %.0f requests/s by x%.2f, %d s each, until p99 > %.1f ms or more than"
            + " %.1f%% fail (degraded answers, sheds, timeouts, errors)%n",
        rate,
        stepFactor,
        stepSeconds,
        p99BoundMs,
        100 * maxFailed);
    out.printf(
        Locale.ROOT,
        "%10s %10s %10s %9s %9s %9s %8s %9s%n",
        "rate/s",
        "sent",
        "answered/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "failed",
        "degraded");
    double best = 0;
    double bestP99 = 0;
    int used = warmupSeconds;
    for (double r = rate;
        used + stepSeconds <= MAX_SECONDS && r <= Math.min(maxRate, MAX_RATE) * 1.000001;
        r *= stepFactor) {
      Phase phase = runner.run(String.format(Locale.ROOT, "%.0f/s", r), r, stepSeconds);
      used += stepSeconds;
      report.add(phase);
      double failed = 1 - phase.fraction(Outcome.OK);
      double p99 = phase.ms(Outcome.OK, 99);
      boolean held = p99 <= p99BoundMs && failed <= maxFailed;
      out.printf(
          Locale.ROOT,
          "%10.0f %,10d %10.1f %9.2f %9.2f %9.2f %7.2f%% %8.2f%% %s%n",
          r,
          phase.result().sent(),
          phase.okPerSecond(),
          phase.ms(Outcome.OK, 50),
          p99,
          phase.maxMs(Outcome.OK),
          100 * failed,
          100 * phase.fraction(Outcome.DEGRADED),
          held ? "held" : "FAILED");
      out.flush();
      if (!held) {
        break;
      }
      best = r;
      bestP99 = p99;
    }
    if (best == 0) {
      out.printf(
          Locale.ROOT, "no rate held: even %.0f/s broke the bound; start lower (--rate)%n", rate);
    } else {
      out.printf(
          Locale.ROOT,
          "sustainable: %.0f requests/s (p99 %.2f ms <= %.1f ms)%n",
          best,
          bestP99,
          p99BoundMs);
    }
    report.verdict("p99_bound_ms", p99BoundMs);
    report.verdict("sustainable_rate", best);
    report.verdict("sustainable_p99_ms", bestP99);
  }

  /** --rate (the baseline), --overload times it, then --rate again. */
  private void overload(Runner runner, LoadReport report, PrintWriter out)
      throws InterruptedException {
    double high = rate * overloadFactor;
    out.printf(
        Locale.ROOT,
        "baseline %.0f/s for %d s, overload %.0f/s (x%.1f) for %d s, recovery %.0f/s for %d s%n",
        rate,
        durationSeconds,
        high,
        overloadFactor,
        durationSeconds,
        rate,
        recoverySeconds);
    out.flush();
    Phase baseline = runner.run("baseline", rate, durationSeconds);
    Phase overloaded = runner.run("overload", high, durationSeconds);
    long recoveryStart = OpenLoopRun.startNow();
    Timeline timeline = new Timeline(recoveryStart, recoverySeconds);
    Phase recovery = runner.run("recovery", rate, recoverySeconds, timeline, recoveryStart);
    out.printf(
        Locale.ROOT,
        "%-9s %8s %10s %9s %9s %9s %8s %8s %10s %10s%n",
        "phase",
        "rate/s",
        "answered/s",
        "p50 ms",
        "p99 ms",
        "degraded",
        "shed",
        "timeout",
        "shed p50",
        "shed p99");
    for (Phase p : List.of(baseline, overloaded, recovery)) {
      report.add(p);
      out.printf(
          Locale.ROOT,
          "%-9s %8.0f %10.1f %9.2f %9.2f %8.2f%% %7.2f%% %7.2f%% %7.2f ms %7.2f ms%n",
          p.name(),
          p.rate(),
          p.answeredPerSecond(),
          p.answeredMs(50),
          p.answeredMs(99),
          100 * p.fraction(Outcome.DEGRADED),
          100 * p.fraction(Outcome.SHED),
          100 * p.fraction(Outcome.TIMEOUT),
          p.ms(Outcome.SHED, 50),
          p.ms(Outcome.SHED, 99));
    }
    // Under overload an answer the brownout trimmed is still an answer: goodput and the admitted
    // p99 count full and degraded ones (the degraded share is reported beside them).
    double goodput = overloaded.answeredPerSecond() / rate;
    double unloadedP99 = baseline.answeredMs(99);
    double admittedP99 = overloaded.answeredMs(99);
    out.printf(
        Locale.ROOT,
        "goodput under overload (full or degraded answers): %.1f/s = %.0f%% of %.0f/s; admitted"
            + " p99 %.2f ms = %.1fx the unloaded %.2f ms; sheds answered p50 %.2f ms, p99 %.2f ms,"
            + " max %.2f ms%n",
        overloaded.answeredPerSecond(),
        100 * goodput,
        rate,
        admittedP99,
        unloadedP99 == 0 ? 0 : admittedP99 / unloadedP99,
        unloadedP99,
        overloaded.ms(Outcome.SHED, 50),
        overloaded.ms(Outcome.SHED, 99),
        overloaded.maxMs(Outcome.SHED));
    out.flush();
    report.verdict("overload_factor", overloadFactor);
    report.verdict("goodput_per_second", overloaded.answeredPerSecond());
    report.verdict("degraded_share", overloaded.fraction(Outcome.DEGRADED));
    report.verdict("goodput_share", goodput);
    report.verdict("unloaded_p99_ms", unloadedP99);
    report.verdict("admitted_p99_ms", admittedP99);
    report.verdict("admitted_p99_ratio", unloadedP99 == 0 ? 0 : admittedP99 / unloadedP99);
    report.verdict("shed_share", overloaded.fraction(Outcome.SHED));
    report.verdict("shed_p50_ms", overloaded.ms(Outcome.SHED, 50));
    report.verdict("shed_p99_ms", overloaded.ms(Outcome.SHED, 99));
    report.verdict("recovery_p99_ms", recovery.answeredMs(99));
    // Back to normal: the first of three seconds in a row within twice the unloaded p99 (or 5 ms
    // above it), refusing no more than the baseline did (twice its share, at least 2%: the adaptive
    // limit sheds a little at any rate).
    List<Timeline.Second> seconds = timeline.seconds();
    double normalBound =
        Math.max(
            Timeline.NORMAL_P99_RATIO * unloadedP99, unloadedP99 + Timeline.NORMAL_P99_SLACK_MS);
    double refusedShare =
        Math.max(
            Timeline.NORMAL_REFUSED_SHARE,
            2 * (1 - baseline.fraction(Outcome.OK) - baseline.fraction(Outcome.DEGRADED)));
    int normalAfter = Timeline.normalAfter(seconds, normalBound, refusedShare);
    out.printf(
        Locale.ROOT,
        "recovery by second (p99 ms / not answered): %s; normal (p99 <= %.2f ms, <= %.1f%%"
            + " unanswered) %s%n",
        seconds.stream()
            .map(x -> String.format(Locale.ROOT, "%.1f/%d", x.p99Ms(), x.notAnswered()))
            .collect(Collectors.joining(" ")),
        normalBound,
        100 * refusedShare,
        normalAfter < seconds.size()
            ? "from second " + normalAfter + " on"
            : "in no second through the last");
    out.flush();
    report.verdict("recovery_second_p99_ms", seconds.stream().map(Timeline.Second::p99Ms).toList());
    report.verdict(
        "recovery_second_not_answered",
        seconds.stream().map(Timeline.Second::notAnswered).toList());
    report.verdict("normal_p99_bound_ms", normalBound);
    report.verdict("normal_refused_share", refusedShare);
    report.verdict("recovered_after_s", normalAfter);
  }

  private String check() throws IOException {
    if (!InetAddress.getByName(connection.host()).isLoopbackAddress()) {
      return "--host "
          + connection.host()
          + " is not a loopback address: load runs only against this machine";
    }
    if (!(rate > 0 && rate <= MAX_RATE)) {
      return "--rate must be above 0 and at most " + (long) MAX_RATE + ", got " + rate;
    }
    Mode mode;
    try {
      mode = mode();
    } catch (IllegalArgumentException e) {
      return "--mode must be fixed, step or overload, got '" + modeName + "'";
    }
    int seconds =
        switch (mode) {
          case FIXED -> durationSeconds;
          case STEP -> stepSeconds;
          case OVERLOAD -> 2 * durationSeconds + recoverySeconds;
        };
    if (durationSeconds < 1
        || stepSeconds < 1
        || recoverySeconds < 1
        || warmupSeconds < 0
        || seconds + warmupSeconds > MAX_SECONDS) {
      return "--duration-s, --step-s and --recovery-s must be 1 or more, and a run with --warmup-s at most "
          + MAX_SECONDS
          + " s in all";
    }
    if (mode == Mode.OVERLOAD && !(overloadFactor > 1 && rate * overloadFactor <= MAX_RATE)) {
      return "--overload must be above 1 and --rate times it at most " + (long) MAX_RATE;
    }
    if (mode == Mode.STEP
        && !(stepFactor > 1 && p99BoundMs > 0 && maxFailed >= 0 && maxFailed < 1)) {
      return "--step-factor must be above 1, --p99-bound-ms above 0 and --max-failed from 0 to below 1";
    }
    try {
      targetKind();
    } catch (IllegalArgumentException e) {
      return "--target must be magpie or opensearch, got '" + targetName + "'";
    }
    if (efSearch < 1 || candidates < 1 || embedThreads < 0) {
      return "--ef-search and --candidates must be 1 or more, --embed-threads 0 or more";
    }
    if (k < 1 || maxInFlight < 1) {
      return "-k and --max-in-flight must be 1 or more";
    }
    return null;
  }

  private List<String> readQueries() throws IOException {
    try (InputStream in =
            queries == null ? SampleData.open(SampleData.QUERIES) : Files.newInputStream(queries);
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
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

  /**
   * Ids of items the server has, from the hits of the first queries (for get, recommend, update).
   */
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

  private static void print(
      PrintWriter out, OpenLoopRun.Result result, Map<Operation, Map<Outcome, Histogram>> book) {
    out.printf(
        Locale.ROOT,
        "sent %,d in %.1f s (%.1f/s)%s; generator at worst %.2f ms late%n",
        result.sent(),
        result.seconds(),
        result.sent() / result.seconds(),
        result.dropped() == 0
            ? ""
            : String.format(Locale.ROOT, ", %,d not sent (too many outstanding)", result.dropped()),
        result.maxLagMicros() / 1000.0);
    out.printf(
        Locale.ROOT,
        "%-10s %-8s %9s %9s %9s %9s %9s %9s%n",
        "operation",
        "outcome",
        "count",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "p99.9 ms",
        "max ms");
    book.forEach(
        (op, byOutcome) ->
            byOutcome.forEach(
                (outcome, h) -> {
                  if (h.getTotalCount() > 0) {
                    out.printf(
                        Locale.ROOT,
                        "%-10s %-8s %,9d %9.2f %9.2f %9.2f %9.2f %9.2f%n",
                        op.label(),
                        outcome.name().toLowerCase(Locale.ROOT),
                        h.getTotalCount(),
                        ms(h, 50),
                        ms(h, 90),
                        ms(h, 99),
                        ms(h, 99.9),
                        h.getMaxValue() / 1000.0);
                  }
                }));
    out.flush();
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }
}
