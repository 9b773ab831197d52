package dev.magpie.bench.jmh;

import dev.magpie.engine.search.SearchRequest;
import dev.magpie.engine.search.TextSearcher;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.ingest.input.CatalogFormat;
import dev.magpie.ingest.input.CatalogReadOptions;
import dev.magpie.ingest.input.CatalogSource;
import dev.magpie.ingest.load.CatalogLoader;
import dev.magpie.ingest.load.LoadRequest;
import dev.magpie.ingest.load.Progress;
import dev.magpie.samples.SampleData;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Magpie's BM25 search against raw Lucene on the same index and queries: {@code magpie} runs {@link
 * TextSearcher#search} from the query text (understanding, expansion, analysis, query building,
 * execution, the typo retry when the strict query finds too little, hits with external ids); {@code
 * lucene} gives the same Lucene queries, built beforehand, to the same {@link IndexSearcher}: the
 * strict query, and the retry's query for the requests where Magpie retries. The difference is
 * Magpie's per-request overhead, and for broad queries its two-phase pruned search against Lucene
 * scoring every BM25F match ({@code -Dmagpie.search.pruneFromPostings=9223372036854775807} turns
 * the pruning off). SampleTime mode reports p50.
 *
 * <p>Catalog and queries: Home Depot (../shared/data/homedepot, products and dev queries) when
 * present, else the bundled sample with its titles as queries; or a served snapshot given as {@code
 * -Dmagpie.bench.textSnapshot=STORE} (e.g. a 1 M catalog from {@code magpie generate
 * --distinct-titles}), with {@code -Dmagpie.bench.queries=FILE}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class TextSearchBenchmark {
  /** Whether Magpie's typo fallback is on (it adds FuzzyQuery to both sides' query). */
  @Param({"true"})
  public boolean fuzzy;

  /**
   * Hits asked for: 10 as a shopper's page, 100 as the text channel of a hybrid search asks
   * (Fusion.DEFAULT's candidates).
   */
  @Param({"10"})
  public int k;

  /**
   * System property naming a snapshot store to search instead of loading Home Depot (or the
   * sample), with queries from {@code -Dmagpie.bench.queries=FILE} (id TAB text) or, without, its
   * titles.
   */
  static final String SNAPSHOT_PROPERTY = "magpie.bench.textSnapshot";

  private Path dir;
  private Snapshot snapshot;
  private TextSearcher searcher;
  private IndexSearcher lucene;
  private SearchRequest[] requests;
  private Query[][] queries;
  private int next;

  /** Loads the catalog into a temporary snapshot and prepares both sides' queries. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    String given = System.getProperty(SNAPSHOT_PROPERTY);
    List<String> texts = new ArrayList<>();
    if (given != null) {
      // A served snapshot as it is (e.g. a 1 M catalog): opened, never changed or deleted.
      snapshot = SnapshotStore.open(Path.of(given)).openCurrent();
      String queryFile = System.getProperty("magpie.bench.queries");
      prepare(queryFile == null ? texts : queries(Path.of(queryFile)));
      return;
    }
    dir = Files.createTempDirectory("magpie-textbench");
    Path data =
        Path.of(System.getProperty("magpie.home", "."), "..", "shared", "data", "homedepot");
    CatalogSource source;
    CatalogReadOptions options;
    CatalogFormat format;
    if (Files.isReadable(data.resolve("products.tsv"))) {
      source = CatalogSource.file(data.resolve("products.tsv"));
      options = CatalogReadOptions.DEFAULTS.withColumns(List.of("id", "title"));
      format = CatalogFormat.TSV;
      texts.addAll(queries(data.resolve("dev_queries.tsv")));
    } else {
      source = CatalogSource.stream("sample", -1, () -> SampleData.open(SampleData.CATALOG));
      options = CatalogReadOptions.DEFAULTS;
      format = CatalogFormat.JSONL;
    }
    new CatalogLoader(
            new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
        .load(
            new LoadRequest(
                List.of(source), format, options, dir, 1, 0.5, null, 0, Progress.Mode.NONE));
    snapshot = SnapshotStore.open(dir).openCurrent();
    prepare(texts);
  }

  /** The query texts of a queries file (id TAB text). */
  private static List<String> queries(Path file) throws IOException {
    List<String> texts = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] f = line.split("\t", 2);
      if (f.length == 2 && !f[1].isBlank()) {
        texts.add(f[1]);
      }
    }
    return texts;
  }

  /**
   * The searchers over {@link #snapshot} and both sides' queries for {@code texts} (titles when
   * empty).
   */
  private void prepare(List<String> texts) throws IOException {
    searcher = new TextSearcher(snapshot);
    lucene = snapshot.text().searcher();
    if (texts.isEmpty()) {
      for (int i = 0; i < snapshot.items().size(); i += 3) {
        texts.add(snapshot.items().title(i));
      }
    }
    requests = new SearchRequest[texts.size()];
    queries = new Query[texts.size()][];
    int retried = 0;
    for (int i = 0; i < requests.length; i++) {
      requests[i] = SearchRequest.of(texts.get(i), k).withExplanations(false).withFuzzy(fuzzy);
      queries[i] = searcher.luceneQueries(requests[i]).toArray(Query[]::new);
      retried += queries[i].length - 1;
    }
    System.out.printf("%n%,d queries, %,d retried with typo tolerance%n", requests.length, retried);
  }

  /** Closes the snapshot and deletes its files when this benchmark wrote them. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    snapshot.close();
    if (dir != null) {
      SnapshotStore.deleteTree(dir);
    }
  }

  private int nextIndex() {
    next = next + 1 == requests.length ? 0 : next + 1;
    return next;
  }

  /** Magpie from text to hits. */
  @Benchmark
  public int magpie() throws IOException {
    return searcher.search(requests[nextIndex()]).hits().size();
  }

  /** Magpie's planning alone: understanding, expansion, analysis, query building. */
  @Benchmark
  public Query plan() throws IOException {
    return searcher.luceneQuery(requests[nextIndex()]);
  }

  /** Lucene executing the queries Magpie runs for one request, built beforehand. */
  @Benchmark
  public long lucene() throws IOException {
    long total = 0;
    for (Query query : queries[nextIndex()]) {
      total += lucene.search(query, k).totalHits.value();
    }
    return total;
  }
}
