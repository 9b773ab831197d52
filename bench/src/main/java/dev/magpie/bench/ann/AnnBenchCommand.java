package dev.magpie.bench.ann;

import com.github.jelmerk.hnswlib.core.DistanceFunctions;
import com.github.jelmerk.hnswlib.core.Item;
import com.github.jelmerk.hnswlib.core.SearchResult;
import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;
import dev.magpie.engine.embed.MiniLmEmbedder;
import dev.magpie.engine.io.FileFormat;
import dev.magpie.engine.vector.BinaryVectors;
import dev.magpie.engine.vector.FloatRowsOnDisk;
import dev.magpie.engine.vector.HnswParameters;
import dev.magpie.engine.vector.VectorIndex;
import dev.magpie.engine.vector.VectorIndex.Rescoring;
import dev.magpie.engine.vector.VectorIndexBuilder;
import dev.magpie.engine.vector.VectorSimilarity;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code magpie bench ann}: Magpie's vector index, hnswlib-core, Lucene's int8 HNSW, exact brute
 * force and (optionally) C++ hnswlib over the same vectors and queries in one run, one search
 * thread: recall@10 and QPS per efSearch, build time, bytes per vector, and each index's QPS at
 * recall 0.95; a CSV ({@code impl,ef,recall,qps}) and a PNG plot of recall against QPS. Leaves the
 * vector set, the queries and their exact neighbours in the output directory for other tools.
 */
@Command(
    name = "ann",
    mixinStandardHelpOptions = true,
    description =
        "Recall@10 and single-thread QPS of Magpie's HNSW vs hnswlib-core (Java and C++), Lucene's HNSW and brute force.")
public final class AnnBenchCommand implements Callable<Integer> {
  static final int K = 10;
  private static final double TARGET_RECALL = 0.95;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  /** The data set: a snapshot's vectors or a vector file. */
  static final class Source {
    @Option(
        names = "--snapshot",
        paramLabel = "DIR",
        description = "Snapshot store (or version directory) whose item vectors are the data set.")
    Path snapshot;

    @Option(
        names = "--vectors",
        paramLabel = "FILE",
        description = "A vector file (from magpie bench vectors) as the data set.")
    Path vectors;
  }

  @Option(
      names = "--queries",
      paramLabel = "FILE",
      description =
          "Query texts, one per line (TSV: the last column), embedded with the built-in model."
              + " Default: --query-count vectors of the set with seeded noise.")
  Path queriesFile;

  @Option(
      names = "--query-count",
      defaultValue = "1000",
      description = "Queries (default ${DEFAULT-VALUE}).")
  int queryCount;

  @Option(
      names = "--query-noise",
      defaultValue = "0.5",
      description =
          "Length of the noise added to set vectors to make queries (default ${DEFAULT-VALUE}).")
  double queryNoise;

  @Option(
      names = "--ef",
      split = ",",
      defaultValue = "10,20,40,80,100,160,200,300,500",
      description = "efSearch values to sweep (default ${DEFAULT-VALUE}).")
  int[] efs;

  @Option(
      names = "--m",
      defaultValue = "16",
      description = "HNSW M for every index (default ${DEFAULT-VALUE}).")
  int m;

  @Option(
      names = "--ef-construction",
      defaultValue = "200",
      description = "efConstruction (default ${DEFAULT-VALUE}).")
  int efConstruction;

  @Option(
      names = "--threads",
      defaultValue = "2",
      description = "Build threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--seed", defaultValue = "42", description = "Seed for queries and graph levels.")
  long seed;

  @Option(
      names = "--skip-hnswlib",
      description = "Leave hnswlib-core out (its build is slow on large sets).")
  boolean skipHnswlib;

  @Option(names = "--skip-lucene", description = "Leave Lucene's HNSW (int8 scalar quantized) out.")
  boolean skipLucene;

  @Option(
      names = "--with-cpp",
      description =
          "Also run C++ hnswlib (bench/scripts/hnswlib_cpp.py; needs"
              + " Debian's python3-hnswlib) on the same files, after the Java measurements.")
  boolean withCpp;

  @Option(
      names = "--python",
      defaultValue = "/usr/bin/python3",
      description = "Python with hnswlib for --with-cpp (default ${DEFAULT-VALUE}).")
  String python;

  @Option(
      names = "--index-cache",
      paramLabel = "DIR",
      description =
          "Keep built indexes here and reuse them"
              + " on later runs with the same data file, size and build parameters (build times are then not measured).")
  Path indexCache;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Where ann.csv, ann.png and the" + " query and neighbour files go.")
  Path out;

  /** What each measurement warms up on: as many queries as it times, none of them timed. */
  private float[][] warmup;

  /** {@link #warmup} written for the C++ run. */
  private Path warmupFile;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(out);
    Path dataFile = source.vectors;
    if (dataFile == null) {
      float[][] rows = VectorSets.fromSnapshot(source.snapshot);
      dataFile = out.resolve("vectors.f32");
      VectorFile.write(dataFile, rows.length, rows[0].length, i -> rows[i]);
    }
    try (Arena arena = Arena.ofShared()) {
      VectorFile data = VectorFile.open(dataFile, arena);
      float[][] queries = queries(data);
      // Rows of the set with noise, from another seed: never a timed query.
      warmup = perturbedRows(data, queries.length, new SplittableRandom(~seed));
      warmupFile = out.resolve("warmup.f32");
      VectorFile.write(warmupFile, warmup.length, data.dim(), i -> warmup[i]);
      Path queryFile = out.resolve("queries.f32");
      VectorFile.write(queryFile, queries.length, data.dim(), i -> queries[i]);
      String key =
          String.format(
              Locale.ROOT,
              "%s-%d-n%d-m%d-efc%d-s%d",
              dataFile.getFileName(),
              Files.size(dataFile),
              data.count(),
              m,
              efConstruction,
              seed);
      System.out.printf(
          Locale.ROOT,
          "%,d vectors of %d dimensions, %,d queries, M=%d efConstruction=%d, k=%d%n",
          data.count(),
          data.dim(),
          queries.length,
          m,
          efConstruction,
          K);

      long start = System.nanoTime();
      int[][] truth = ExactNeighbours.find(data, queries, K, threads);
      Path truthFile = out.resolve("truth.i32");
      NeighbourFile.write(truthFile, truth);
      System.out.printf(
          Locale.ROOT,
          "exact neighbours in %.1f s (%d threads)%n",
          (System.nanoTime() - start) / 1e9,
          threads);

      List<Point> points = new ArrayList<>();
      points.add(
          new Point(
              "brute-force", 0, 1.0, ExactNeighbours.queriesPerSecond(data, queries, K, 10.0)));
      System.out.printf(Locale.ROOT, "%-12s %6s %8s %10s%n", "impl", "ef", "recall", "qps");
      System.out.printf(
          Locale.ROOT, "%-12s %6s %8.4f %10.0f%n", "brute-force", "-", 1.0, points.get(0).qps());

      VectorIndex withFloats = magpieIndex(data, arena, key);
      VectorIndex codes = withFloats.rescoring(Rescoring.CORRECTED_CODES);
      VectorIndex served =
          codes.withRowsOnDisk(
              FloatRowsOnDisk.open(
                  dataFile, FileFormat.HEADER_LENGTH, data.count(), data.dim(), arena));
      Map<String, VectorIndex> series = new LinkedHashMap<>();
      series.put("magpie", served);
      series.put("magpie-codes", codes);
      series.put("magpie-floats", withFloats);
      series.put("magpie-int8", withFloats.rescoring(Rescoring.NONE));
      series.put("magpie-bits", served.walkingBinaryCodes());
      for (Map.Entry<String, VectorIndex> s : series.entrySet()) {
        points.addAll(
            measure(
                s.getKey(),
                queries,
                truth,
                (q, ef) -> s.getValue().search(q, K, ef, null).ordinals()));
      }
      if (!skipHnswlib) {
        points.addAll(hnswlibCore(data, queries, truth, key));
      }
      if (!skipLucene) {
        points.addAll(lucene(data, queries, truth, key));
      }
      if (withCpp) {
        points.addAll(cpp(dataFile, queryFile, truthFile, key));
      }
      writeCsv(points);
      plot(points);
      summarize(points);
    }
    System.out.println("wrote " + out.resolve("ann.csv") + " and " + out.resolve("ann.png"));
    return 0;
  }

  private float[][] queries(VectorFile data) throws IOException {
    if (queriesFile != null) {
      List<String> texts = new ArrayList<>();
      for (String line : Files.readAllLines(queriesFile, StandardCharsets.UTF_8)) {
        String[] f = line.split("\t");
        if (!f[f.length - 1].isBlank()) {
          texts.add(f[f.length - 1]);
        }
      }
      texts = texts.subList(0, Math.min(texts.size(), queryCount));
      try (MiniLmEmbedder embedder = new MiniLmEmbedder()) {
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < texts.size(); i += 64) {
          vectors.addAll(embedder.embedAll(texts.subList(i, Math.min(texts.size(), i + 64))));
        }
        return vectors.stream().map(VectorSimilarity.COSINE::prepare).toArray(float[][]::new);
      }
    }
    return perturbedRows(data, queryCount, new SplittableRandom(seed));
  }

  /** {@code count} rows of {@code data} drawn by {@code random}, each with --query-noise added. */
  private float[][] perturbedRows(VectorFile data, int count, SplittableRandom random) {
    float[][] rows = new float[count][];
    for (int q = 0; q < count; q++) {
      rows[q] = VectorSets.perturbed(data.row(random.nextInt(data.count())), queryNoise, random);
    }
    return rows;
  }

  /** Magpie's index over {@code data}, built (or taken from the cache), mapped from its files. */
  private VectorIndex magpieIndex(VectorFile data, Arena arena, String key) throws Exception {
    Path dir =
        indexCache != null ? indexCache.resolve("magpie-" + key) : out.resolve("magpie-index");
    if (indexCache == null || !Files.exists(dir.resolve(VectorIndex.GRAPH_FILE))) {
      Files.createDirectories(dir);
      Files.deleteIfExists(dir.resolve(VectorIndex.CODES_FILE));
      Files.deleteIfExists(dir.resolve(VectorIndex.GRAPH_FILE));
      long start = System.nanoTime();
      try (Arena buildArena = Arena.ofShared()) {
        VectorIndex built =
            new VectorIndexBuilder(
                    VectorSimilarity.COSINE, new HnswParameters(m, efConstruction, seed), threads)
                .build(
                    buildArena,
                    data.rows(),
                    data.count(),
                    data.dim(),
                    i -> true,
                    progress(data.count()));
        double seconds = (System.nanoTime() - start) / 1e9;
        built.write(dir);
        System.out.printf(
            Locale.ROOT,
            "magpie: built in %.1f s (%,.0f vectors/s, %d threads)%n",
            seconds,
            data.count() / seconds,
            threads);
      }
    } else {
      System.out.println("magpie: index from " + dir);
    }
    VectorIndex index = VectorIndex.open(dir, arena, i -> true, data.rows(), true);
    double n = data.count();
    double codes = data.dim();
    double graph = index.graph().byteSize() / n;
    double bits = Files.size(dir.resolve(BinaryVectors.FILE)) / n;
    System.out.printf(
        Locale.ROOT,
        "magpie: %.0f bytes/vector resident (int8 codes %.0f + graph %.0f); binary"
            + " codes %.0f more. 'magpie' (as served) walks the int8 codes and rescores its ef best"
            + " with their floats read from the file; 'magpie-floats' with the floats mapped (%d"
            + " bytes/vector more resident); 'magpie-codes' from their codes against the float query,"
            + " length-corrected; 'magpie-int8' does not rescore; 'magpie-bits' walks the binary codes"
            + " and rescores as served (%.0f bytes/vector walked)%n",
        codes + graph,
        codes,
        graph,
        bits,
        4 * data.dim(),
        bits + graph);
    return index;
  }

  private List<Point> hnswlibCore(VectorFile data, float[][] queries, int[][] truth, String key)
      throws Exception {
    Path cached = indexCache == null ? null : indexCache.resolve("hnswlib-core-" + key + ".ser");
    HnswIndex<Integer, float[], Vec, Float> hnsw;
    if (cached != null && Files.exists(cached)) {
      hnsw = HnswIndex.load(cached);
      System.out.println("hnswlib-core: index from " + cached);
    } else {
      long start = System.nanoTime();
      hnsw =
          HnswIndex.newBuilder(data.dim(), DistanceFunctions.FLOAT_INNER_PRODUCT, data.count())
              .withM(m)
              .withEfConstruction(efConstruction)
              .withEf(10)
              .build();
      List<Vec> items = new ArrayList<>(data.count());
      for (int i = 0; i < data.count(); i++) {
        items.add(new Vec(i, data.row(i)));
      }
      hnsw.addAll(items, threads, (done, max) -> {}, Integer.MAX_VALUE);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "hnswlib-core: built in %.1f s (%,.0f vectors/s, %d threads)%n",
          seconds,
          data.count() / seconds,
          threads);
      if (cached != null) {
        Files.createDirectories(indexCache);
        try (OutputStream os = Files.newOutputStream(cached)) {
          hnsw.save(os);
        }
      }
    }
    HnswIndex<Integer, float[], Vec, Float> index = hnsw;
    return measure(
        "hnswlib-core",
        queries,
        truth,
        (q, ef) -> {
          index.setEf(ef);
          List<SearchResult<Vec, Float>> found = index.findNearest(q, K);
          int[] ids = new int[found.size()];
          for (int i = 0; i < ids.length; i++) {
            ids[i] = found.get(i).item().id();
          }
          return ids;
        });
  }

  /** Lucene's int8 HNSW over the same vectors (built, or taken from the cache), measured. */
  private List<Point> lucene(VectorFile data, float[][] queries, int[][] truth, String key)
      throws Exception {
    Path dir =
        indexCache != null ? indexCache.resolve("lucene-" + key) : out.resolve("lucene-index");
    LuceneHnsw index;
    if (indexCache != null && LuceneHnsw.exists(dir)) {
      index = LuceneHnsw.open(dir);
      System.out.println("lucene-hnsw: index from " + dir);
    } else {
      long start = System.nanoTime();
      index = LuceneHnsw.build(dir, data, m, efConstruction, threads);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "lucene-hnsw: built in %.1f s (%,.0f vectors/s, %d threads), %.0f bytes/vector on disk"
              + " (int8 codes, graph and the floats)%n",
          seconds,
          data.count() / seconds,
          threads,
          (double) index.bytesOnDisk() / data.count());
    }
    try (LuceneHnsw searched = index) {
      return measure("lucene-hnsw", queries, truth, (q, ef) -> searched.search(q, K, ef));
    }
  }

  /** Runs the C++ hnswlib script on the same files and reads back its points. */
  private List<Point> cpp(Path dataFile, Path queryFile, Path truthFile, String key)
      throws Exception {
    Path script =
        Path.of(System.getProperty("magpie.home", "."), "bench", "scripts", "hnswlib_cpp.py");
    Path csv = out.resolve("ann-cpp.csv");
    List<String> command =
        new ArrayList<>(
            List.of(
                python,
                script.toString(),
                "--vectors",
                dataFile.toString(),
                "--queries",
                queryFile.toString(),
                "--truth",
                truthFile.toString(),
                "--warmup",
                warmupFile.toString(),
                "--ef",
                String.join(",", Arrays.stream(efs).mapToObj(Integer::toString).toList()),
                "--m",
                Integer.toString(m),
                "--ef-construction",
                Integer.toString(efConstruction),
                "--threads",
                Integer.toString(threads),
                "--seed",
                Long.toString(seed),
                "--out",
                csv.toString()));
    if (indexCache != null) {
      command.addAll(
          List.of("--index-cache", indexCache.resolve("hnswlib-cpp-" + key + ".bin").toString()));
    }
    int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
    if (exit != 0) {
      System.err.println(
          "bench ann: the C++ hnswlib run failed (exit "
              + exit
              + "); is python3-hnswlib installed?");
      return List.of();
    }
    List<Point> points = new ArrayList<>();
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      points.add(
          new Point(
              f[0], Integer.parseInt(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3])));
    }
    return points;
  }

  private static LongConsumer progress(int count) {
    long step = Math.max(1, count / 10);
    long[] next = {step};
    long start = System.nanoTime();
    return done -> {
      if (done >= next[0]) {
        next[0] += step;
        System.out.printf(
            Locale.ROOT,
            "magpie: %,d of %,d linked (%.0f s)%n",
            done,
            count,
            (System.nanoTime() - start) / 1e9);
      }
    };
  }

  /** One implementation's search for the {@link #K} nearest with a beam of {@code ef}. */
  private interface Searcher {
    int[] search(float[] query, int ef);
  }

  /**
   * Recall and single-thread QPS of {@code searcher} over {@code queries} at every ef of the sweep.
   * It warms up on other queries ({@link #warmup}) first at every ef, so that the first point is
   * not its code's first minutes, then again before each timed point: a timed query runs once.
   */
  private List<Point> measure(String impl, float[][] queries, int[][] truth, Searcher searcher) {
    for (int ef : efs) {
      for (float[] q : warmup) {
        searcher.search(q, ef);
      }
    }
    List<Point> points = new ArrayList<>();
    for (int ef : efs) {
      points.add(measure(impl, ef, queries, truth, searcher));
    }
    return points;
  }

  private Point measure(String impl, int ef, float[][] queries, int[][] truth, Searcher searcher) {
    for (float[] q : warmup) {
      searcher.search(q, ef);
    }
    long start = System.nanoTime();
    int[][] found = new int[queries.length][];
    for (int q = 0; q < queries.length; q++) {
      found[q] = searcher.search(queries[q], ef);
    }
    double qps = queries.length / ((System.nanoTime() - start) / 1e9);
    double recall = Recall.at(truth, found);
    System.out.printf(Locale.ROOT, "%-12s %6d %8.4f %10.0f%n", impl, ef, recall, qps);
    return new Point(impl, ef, recall, qps);
  }

  private static void summarize(List<Point> points) {
    System.out.printf(
        Locale.ROOT, "QPS at recall@10 %.2f (linear between the sweep's points):%n", TARGET_RECALL);
    double magpie = Point.qpsAtRecall(points, "magpie", TARGET_RECALL);
    for (String impl :
        points.stream()
            .map(Point::impl)
            .filter(i -> !i.equals("brute-force"))
            .distinct()
            .toList()) {
      double qps = Point.qpsAtRecall(points, impl, TARGET_RECALL);
      System.out.printf(
          Locale.ROOT,
          "  %-12s %s%s%n",
          impl,
          Double.isNaN(qps) ? "not reached" : String.format(Locale.ROOT, "%,.0f", qps),
          Double.isNaN(qps) || Double.isNaN(magpie) || impl.equals("magpie")
              ? ""
              : String.format(Locale.ROOT, "   magpie / %s = %.2fx", impl, magpie / qps));
    }
  }

  private void writeCsv(List<Point> points) throws IOException {
    try (PrintWriter w =
        new PrintWriter(Files.newBufferedWriter(out.resolve("ann.csv"), StandardCharsets.UTF_8))) {
      w.println("impl,ef,recall,qps");
      for (Point p : points) {
        w.printf(Locale.ROOT, "%s,%d,%.4f,%.1f%n", p.impl(), p.ef(), p.recall(), p.qps());
      }
    }
  }

  private void plot(List<Point> points) throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(600)
            .title("recall@10 vs QPS (one thread)")
            .xAxisTitle("recall@10")
            .yAxisTitle("queries per second")
            .build();
    chart.getStyler().setYAxisLogarithmic(true);
    for (String impl : points.stream().map(Point::impl).distinct().toList()) {
      List<Point> series = points.stream().filter(p -> p.impl().equals(impl)).toList();
      chart.addSeries(
          impl,
          series.stream().mapToDouble(Point::recall).toArray(),
          series.stream().mapToDouble(Point::qps).toArray());
    }
    BitmapEncoder.saveBitmap(
        chart, out.resolve("ann.png").toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** One vector as hnswlib-core wants it. */
  private record Vec(Integer id, float[] vector) implements Item<Integer, float[]> {
    @Override
    public int dimensions() {
      return vector.length;
    }
  }
}
