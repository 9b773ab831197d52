package dev.magpie.cli.catalog;

import dev.magpie.cli.MagpieMain;
import dev.magpie.cli.MagpieSubcommand;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.embed.MiniLmEmbedder;
import dev.magpie.engine.search.FieldScoring;
import dev.magpie.engine.search.Fusion;
import dev.magpie.engine.search.HybridHit;
import dev.magpie.engine.search.HybridResult;
import dev.magpie.engine.search.HybridSearcher;
import dev.magpie.engine.search.SearchFilters;
import dev.magpie.engine.search.SearchHit;
import dev.magpie.engine.search.SearchRequest;
import dev.magpie.engine.search.SearchResult;
import dev.magpie.engine.search.TextSearcher;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code magpie search}: BM25 or hybrid (BM25 and vector, fused) search over a snapshot, printed as
 * a table with explanations.
 */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Searches a snapshot and prints the hits with what matched.",
      "Constraints in the text (\"under $50\", a brand, a colour) become filters unless --no-understand."
    },
    footer = {
      "",
      "Examples:",
      "  magpie search \"trail running shoes under $100\"",
      "  magpie search var/snapshots \"chef knife\" --category Kitchen --in-stock --k 5",
      "  magpie search /tmp/hd \"1/2 in. copper pipe\"",
      "  magpie search --mode hybrid \"boots for jogging on pavement\""
    })
public final class SearchCommand implements MagpieSubcommand {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..2",
      paramLabel = "[DIR] QUERY",
      description =
          "Snapshot store or version (default: $MAGPIE_HOME/var/snapshots), then the query.")
  List<String> args = new ArrayList<>();

  @Option(
      names = "--k",
      defaultValue = "10",
      paramLabel = "N",
      description = "Hits to show (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--category",
      paramLabel = "PATH",
      description = "Only this category and below (path or last level); repeatable.")
  List<String> categories = new ArrayList<>();

  @Option(names = "--brand", paramLabel = "NAME", description = "Only this brand; repeatable.")
  List<String> brands = new ArrayList<>();

  @Option(
      names = "--min-price",
      paramLabel = "AMOUNT",
      description = "Lowest price, major units (12.50).")
  BigDecimal minPrice;

  @Option(names = "--max-price", paramLabel = "AMOUNT", description = "Highest price, major units.")
  BigDecimal maxPrice;

  @Option(names = "--in-stock", description = "Leave out items known to be out of stock.")
  boolean inStock;

  @Option(
      names = "--attr",
      paramLabel = "NAME=VALUE",
      description = "Attribute equality; repeatable.")
  Map<String, String> attributes = new LinkedHashMap<>();

  @Option(
      names = "--no-understand",
      description = "Search the text as written: no constraints taken from it.")
  boolean noUnderstand;

  @Option(names = "--no-fuzzy", description = "No typo tolerance.")
  boolean noFuzzy;

  @Option(
      names = "--scoring",
      defaultValue = "combined",
      paramLabel = "boosted|combined",
      description = "Per-field BM25 summed with weights, or BM25F (default: ${DEFAULT-VALUE}).")
  String scoring;

  @Option(
      names = "--mode",
      defaultValue = "bm25",
      paramLabel = "bm25|hybrid",
      description =
          "BM25 alone, or BM25 and vector search fused (needs a snapshot with the built-in model's"
              + " vectors; loads the model, about 2 s) (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--fusion",
      defaultValue = "linear",
      paramLabel = "linear|rrf",
      description =
          "Hybrid: normalised linear or reciprocal rank fusion (default: ${DEFAULT-VALUE}).")
  String fusion;

  @Option(
      names = "--text-weight",
      paramLabel = "W",
      description = "Hybrid: weight of BM25 (default: the engine's).")
  Float textWeight;

  @Option(
      names = "--vector-weight",
      paramLabel = "W",
      description = "Hybrid: weight of vectors (default: the engine's).")
  Float vectorWeight;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = args.size() == 2 ? Path.of(args.get(0)) : MagpieMain.defaultStore();
    String query = args.getLast();
    SearchRequest request;
    Fusion fused = null;
    try {
      String m = mode.toLowerCase(Locale.ROOT);
      if (!m.equals("bm25") && !m.equals("hybrid")) {
        throw new IllegalArgumentException("--mode must be bm25 or hybrid, got '" + mode + "'");
      }
      if (m.equals("hybrid")) {
        Fusion.Method method =
            switch (fusion.toLowerCase(Locale.ROOT)) {
              case "linear" -> Fusion.Method.LINEAR;
              case "rrf" -> Fusion.Method.RRF;
              default ->
                  throw new IllegalArgumentException(
                      "--fusion must be linear or rrf, got '" + fusion + "'");
            };
        fused =
            new Fusion(
                method,
                textWeight != null ? textWeight : Fusion.DEFAULT.textWeight(),
                vectorWeight != null ? vectorWeight : Fusion.DEFAULT.vectorWeight(),
                Fusion.DEFAULT.candidates());
      }
      SearchFilters filters =
          new SearchFilters(
              categories,
              brands,
              minor(minPrice, "--min-price"),
              minor(maxPrice, "--max-price"),
              inStock,
              attributes);
      request =
          SearchRequest.of(query, k)
              .withFilters(filters)
              .withUnderstanding(!noUnderstand)
              .withFuzzy(!noFuzzy)
              .withFieldScoring(scoring(scoring));
    } catch (IllegalArgumentException e) {
      err.println("magpie search: " + e.getMessage());
      return USAGE;
    }
    try (Snapshot snapshot = Snapshot.open(SnapshotStore.resolveVersionDir(dir))) {
      if (fused != null) {
        return hybrid(out, err, snapshot, request, fused);
      }
      TextSearcher searcher = new TextSearcher(snapshot);
      long start = System.nanoTime();
      SearchResult result = searcher.search(request);
      double ms = (System.nanoTime() - start) / 1e6;
      print(out, snapshot.items(), result, ms);
      out.flush();
      return OK;
    } catch (IOException e) {
      err.println("magpie search: " + e.getMessage());
      return FAILED;
    }
  }

  private static int hybrid(
      PrintWriter out, PrintWriter err, Snapshot snapshot, SearchRequest request, Fusion fusion)
      throws IOException {
    if (snapshot.vectors() == null) {
      err.println(
          "magpie search: snapshot "
              + snapshot.dir()
              + " has no vectors; load it without --no-embed");
      return FAILED;
    }
    try (MiniLmEmbedder embedder = new MiniLmEmbedder()) {
      HybridSearcher searcher = new HybridSearcher(snapshot, embedder);
      long start = System.nanoTime();
      HybridResult result = searcher.search(request, fusion);
      double ms = (System.nanoTime() - start) / 1e6;
      print(out, snapshot.items(), result, ms);
      out.flush();
      return OK;
    } catch (IllegalArgumentException e) {
      err.println("magpie search: " + e.getMessage());
      return USAGE;
    }
  }

  static void print(PrintWriter out, ItemStore items, HybridResult result, double ms) {
    Fusion f = result.fusion();
    out.printf(
        Locale.ROOT,
        "%d shown, %.1f ms (model included); searched \"%s\"; %s fusion, text %.2f, vector %.2f%n",
        result.hits().size(),
        ms,
        result.searchedText(),
        f.method().name().toLowerCase(Locale.ROOT),
        f.textWeight(),
        f.vectorWeight());
    result.understood().forEach(c -> out.println("  understood: " + c));
    result.notes().forEach(n -> out.println("  note: " + n));
    printHeader(out);
    int rank = 1;
    for (HybridHit hit : result.hits()) {
      printRow(out, rank++, hit.score(), items.item(hit.ordinal()));
      out.println("        why: " + hit.explanation());
    }
  }

  private static FieldScoring scoring(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "boosted" -> FieldScoring.BOOSTED_FIELDS;
      case "combined" -> FieldScoring.COMBINED_FIELDS;
      default ->
          throw new IllegalArgumentException(
              "--scoring must be boosted or combined, got '" + name + "'");
    };
  }

  private static long minor(BigDecimal amount, String option) {
    if (amount == null) {
      return -1;
    }
    if (amount.signum() < 0) {
      throw new IllegalArgumentException(
          option + " must not be negative, got " + amount.toPlainString());
    }
    return amount.movePointRight(2).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  static void print(PrintWriter out, ItemStore items, SearchResult result, double ms) {
    out.printf(
        Locale.ROOT,
        "%,d matches, %d shown, %.1f ms; searched \"%s\"%s%n",
        result.totalMatches(),
        result.hits().size(),
        ms,
        result.searchedText(),
        result.fuzzy() ? " (with typo tolerance)" : "");
    result.understood().forEach(c -> out.println("  understood: " + c));
    result.notes().forEach(n -> out.println("  note: " + n));
    printHeader(out);
    int rank = 1;
    for (SearchHit hit : result.hits()) {
      printRow(out, rank++, hit.score(), items.item(hit.ordinal()));
      if (!hit.matches().isEmpty()) {
        out.println("        why: " + hit.explanation());
      }
    }
  }

  private static void printHeader(PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "%4s  %7s  %-14s  %-50s  %-16s  %11s  %5s%n",
        "rank",
        "score",
        "id",
        "title",
        "brand",
        "price",
        "stock");
  }

  private static void printRow(PrintWriter out, int rank, float score, Item item) {
    out.printf(
        Locale.ROOT,
        "%4d  %7.3f  %-14s  %-50s  %-16s  %11s  %5s%n",
        rank,
        score,
        ItemTable.cut(item.externalId(), 14),
        ItemTable.cut(item.title(), 50),
        ItemTable.cut(item.brand(), 16),
        ItemTable.price(item),
        item.hasStock() ? Integer.toString(item.stock()) : "-");
  }
}
