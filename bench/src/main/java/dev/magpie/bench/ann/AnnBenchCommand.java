package dev.magpie.bench.ann;

import com.github.jelmerk.hnswlib.core.DistanceFunctions;
import com.github.jelmerk.hnswlib.core.SearchResult;
import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;
import dev.magpie.engine.embed.MiniLmEmbedder;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.vector.HnswParameters;
import dev.magpie.engine.vector.VectorIndex;
import dev.magpie.engine.vector.VectorIndexBuilder;
import dev.magpie.engine.vector.VectorSimilarity;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.lucene.util.NumericUtils;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code magpie bench ann}: Magpie's vector index, hnswlib-core and exact brute force over the same
 * vectors and queries in one run, one search thread: recall@10 and QPS per efSearch, build time,
 * bytes per vector; a CSV ({@code impl,ef,recall,qps}) and a PNG plot of recall against QPS.
 */
@Command(
    name = "ann",
    mixinStandardHelpOptions = true,
    description = "Recall@10 and single-thread QPS of Magpie's HNSW vs hnswlib-core vs brute force.")
public final class AnnBenchCommand implements Callable<Integer> {
  private static final int K = 10;

  @Option(names = "--snapshot", required = true, paramLabel = "DIR",
      description = "Snapshot store (or version directory) whose item vectors are the data set.")
  Path snapshot;

  @Option(names = "--queries", paramLabel = "FILE",
      description = "Query texts, one per line (TSV: the last column), embedded with the built-in model."
          + " Default: --query-count vectors of the set with seeded noise.")
  Path queriesFile;

  @Option(names = "--query-count", defaultValue = "1000", description = "Queries (default ${DEFAULT-VALUE}).")
  int queryCount;

  @Option(names = "--ef", split = ",", defaultValue = "10,20,40,80,120,200,300,500",
      description = "efSearch values to sweep (default ${DEFAULT-VALUE}).")
  int[] efs;

  @Option(names = "--m", defaultValue = "16", description = "HNSW M for both indexes (default ${DEFAULT-VALUE}).")
  int m;

  @Option(names = "--ef-construction", defaultValue = "200", description = "efConstruction (default ${DEFAULT-VALUE}).")
  int efConstruction;

  @Option(names = "--threads", defaultValue = "2", description = "Build threads (default ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--seed", defaultValue = "42", description = "Seed for queries and graph levels.")
  long seed;

  @Option(names = "--no-rescore", description = "Rank Magpie's hits by int8 codes only (no float rescoring).")
  boolean noRescore;

  @Option(names = "--skip-hnswlib", description = "Leave hnswlib-core out (its build is slow on large sets).")
  boolean skipHnswlib;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where ann.csv and ann.png go.")
  Path out;

  private record Point(String impl, int ef, double recall, double qps) {}

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(out);
    float[][] data;
    try (Snapshot snap = open(snapshot)) {
      if (snap.items().vectorDimension() == 0) {
        System.err.println("bench ann: " + snapshot + " has no vectors (load it without --no-embed)");
        return 2;
      }
      List<float[]> rows = new ArrayList<>();
      for (int i = 0; i < snap.items().size(); i++) {
        if (snap.items().hasVector(i)) {
          float[] v = snap.items().vector(i);
          if (!isZero(v)) {
            rows.add(VectorSimilarity.COSINE.prepare(v));
          }
        }
      }
      data = rows.toArray(float[][]::new);
    }
    int n = data.length;
    int dim = data[0].length;
    float[][] queries = queries(data);
    System.out.printf(Locale.ROOT, "%,d vectors of %d dimensions, %,d queries, M=%d efConstruction=%d, k=%d%n",
        n, dim, queries.length, m, efConstruction, K);

    long start = System.nanoTime();
    int[][] truth = new int[queries.length][];
    for (int q = 0; q < queries.length; q++) {
      truth[q] = bruteForce(data, queries[q]);
    }
    double bruteQps = queries.length / ((System.nanoTime() - start) / 1e9);
    List<Point> points = new ArrayList<>();
    points.add(new Point("brute-force", 0, 1.0, bruteQps));
    System.out.printf(Locale.ROOT, "%-12s %6s %8s %10s%n", "impl", "ef", "recall", "qps");
    System.out.printf(Locale.ROOT, "%-12s %6s %8.4f %10.0f%n", "brute-force", "-", 1.0, bruteQps);

    try (Arena arena = Arena.ofShared()) {
      start = System.nanoTime();
      VectorIndex built = new VectorIndexBuilder(VectorSimilarity.COSINE, new HnswParameters(m, efConstruction, seed),
          threads).build(arena, VectorIndexBuilder.rows(arena, data), n, dim, i -> true, x -> {});
      double buildSeconds = (System.nanoTime() - start) / 1e9;
      long graphBytes = built.graph().byteSize();
      VectorIndex index = noRescore ? new VectorIndex(built.vectors(), built.graph(), i -> true, null) : built;
      System.out.printf(Locale.ROOT, "magpie: built in %.1f s (%,.0f vectors/s, %d threads), %.0f bytes/vector"
          + " resident (int8 %d + graph %.0f)%s%n", buildSeconds, n / buildSeconds, threads,
          (double) (n * (long) dim + graphBytes) / n, dim, (double) graphBytes / n,
          noRescore ? "" : ", float rescoring reads the snapshot's vectors");
      for (int ef : efs) {
        Point p = measure("magpie", ef, queries, truth, q -> index.search(q, K, ef, null).ordinals());
        points.add(p);
      }
    }

    if (!skipHnswlib) {
      System.gc();
      long heapBefore = usedHeap();
      start = System.nanoTime();
      HnswIndex<Integer, float[], Vec, Float> hnsw = HnswIndex
          .newBuilder(dim, DistanceFunctions.FLOAT_INNER_PRODUCT, n)
          .withM(m).withEfConstruction(efConstruction).withEf(10).build();
      List<Vec> items = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        items.add(new Vec(i, data[i]));
      }
      hnsw.addAll(items, threads, (done, max) -> {}, Integer.MAX_VALUE);
      double buildSeconds = (System.nanoTime() - start) / 1e9;
      System.gc();
      System.out.printf(Locale.ROOT, "hnswlib-core: built in %.1f s (%,.0f vectors/s, %d threads), heap %.0f"
          + " bytes/vector%n", buildSeconds, n / buildSeconds, threads, (double) (usedHeap() - heapBefore) / n);
      for (int ef : efs) {
        hnsw.setEf(ef);
        points.add(measure("hnswlib-core", ef, queries, truth, q -> {
          List<SearchResult<Vec, Float>> found = hnsw.findNearest(q, K);
          int[] ids = new int[found.size()];
          for (int i = 0; i < ids.length; i++) {
            ids[i] = found.get(i).item().id();
          }
          return ids;
        }));
      }
    }
    writeCsv(points);
    plot(points);
    System.out.println("wrote " + out.resolve("ann.csv") + " and " + out.resolve("ann.png"));
    return 0;
  }

  private static Snapshot open(Path dir) throws IOException {
    return Files.exists(dir.resolve("manifest.json")) ? Snapshot.open(dir) : SnapshotStore.open(dir).openCurrent();
  }

  private float[][] queries(float[][] data) throws IOException {
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
    SplittableRandom random = new SplittableRandom(seed);
    float[][] queries = new float[queryCount][];
    for (int q = 0; q < queryCount; q++) {
      float[] base = data[random.nextInt(data.length)];
      float[] v = new float[base.length];
      double sigma = 0.5 / Math.sqrt(base.length);
      for (int d = 0; d < v.length; d++) {
        v[d] = base[d] + (float) (sigma * gaussian(random));
      }
      queries[q] = VectorSimilarity.COSINE.prepare(v);
    }
    return queries;
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  private static int[] bruteForce(float[][] data, float[] query) {
    long[] top = new long[K];
    Arrays.fill(top, Long.MIN_VALUE);
    for (int i = 0; i < data.length; i++) {
      float s = VectorSimilarity.dot(data[i], query);
      long key = ((long) NumericUtils.floatToSortableInt(s) << 32) | (0xFFFFFFFFL & ~i);
      if (key > top[0]) {
        top[0] = key;
        Arrays.sort(top);
      }
    }
    int[] ids = new int[K];
    for (int i = 0; i < K; i++) {
      ids[i] = ~(int) top[K - 1 - i];
    }
    return ids;
  }

  private interface Searcher {
    int[] search(float[] query);
  }

  private static Point measure(String impl, int ef, float[][] queries, int[][] truth, Searcher searcher) {
    for (float[] q : queries) {
      searcher.search(q);
    }
    long start = System.nanoTime();
    int[][] found = new int[queries.length][];
    for (int q = 0; q < queries.length; q++) {
      found[q] = searcher.search(queries[q]);
    }
    double qps = queries.length / ((System.nanoTime() - start) / 1e9);
    long hits = 0;
    for (int q = 0; q < queries.length; q++) {
      int[] t = truth[q].clone();
      Arrays.sort(t);
      for (int id : found[q]) {
        if (Arrays.binarySearch(t, id) >= 0) {
          hits++;
        }
      }
    }
    double recall = hits / (double) (K * queries.length);
    System.out.printf(Locale.ROOT, "%-12s %6d %8.4f %10.0f%n", impl, ef, recall, qps);
    return new Point(impl, ef, recall, qps);
  }

  private void writeCsv(List<Point> points) throws IOException {
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("ann.csv"), StandardCharsets.UTF_8))) {
      w.println("impl,ef,recall,qps");
      for (Point p : points) {
        w.printf(Locale.ROOT, "%s,%d,%.4f,%.1f%n", p.impl(), p.ef(), p.recall(), p.qps());
      }
    }
  }

  private void plot(List<Point> points) throws IOException {
    XYChart chart = new XYChartBuilder().width(900).height(600).title("recall@10 vs QPS (one thread)")
        .xAxisTitle("recall@10").yAxisTitle("queries per second").build();
    chart.getStyler().setYAxisLogarithmic(true);
    for (String impl : points.stream().map(Point::impl).distinct().toList()) {
      List<Point> series = points.stream().filter(p -> p.impl().equals(impl)).toList();
      chart.addSeries(impl, series.stream().mapToDouble(Point::recall).toArray(),
          series.stream().mapToDouble(Point::qps).toArray());
    }
    BitmapEncoder.saveBitmap(chart, out.resolve("ann.png").toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  private static boolean isZero(float[] v) {
    for (float x : v) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  /** One vector as hnswlib-core wants it. */
  private record Vec(Integer id, float[] vector) implements com.github.jelmerk.hnswlib.core.Item<Integer, float[]> {
    @Override
    public int dimensions() {
      return vector.length;
    }
  }
}
