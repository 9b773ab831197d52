package dev.magpie.cli.catalog;

import dev.magpie.cli.MagpieMain;
import dev.magpie.cli.MagpieSubcommand;
import dev.magpie.cluster.log.UpdateTopic;
import dev.magpie.engine.catalog.RejectReason;
import dev.magpie.engine.embed.MiniLmEmbedder;
import dev.magpie.engine.embed.ModelUnavailableException;
import dev.magpie.engine.route.ClusterDirectory;
import dev.magpie.engine.shard.Shard;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotLayout;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.text.ProductAnalyzer;
import dev.magpie.ingest.events.EventFormat;
import dev.magpie.ingest.input.CatalogFormat;
import dev.magpie.ingest.input.CatalogReadOptions;
import dev.magpie.ingest.input.CatalogSource;
import dev.magpie.ingest.load.BaseFold;
import dev.magpie.ingest.load.CatalogLoader;
import dev.magpie.ingest.load.LoadRefusedException;
import dev.magpie.ingest.load.LoadRequest;
import dev.magpie.ingest.load.LoadResult;
import dev.magpie.ingest.load.Progress;
import dev.magpie.ingest.load.ShardPlan;
import dev.magpie.ingest.load.ShardSetFold;
import dev.magpie.samples.SampleData;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code magpie load}: catalog files to a new, verified, published snapshot version. */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
      "Loads catalog files into a new snapshot version and makes it the live one.",
      "Bad rows are reported (file, line, field, value, reason) and skipped; everything else loads.",
      "With no --catalog, loads the bundled sample catalog."
    },
    footer = {
      "",
      "Examples:",
      "  magpie load",
      "  magpie load --catalog items.jsonl --out /srv/magpie/snapshots",
      "  magpie load --catalog ../shared/data/homedepot/products.tsv --columns id,title",
      "  magpie load --catalog items.jsonl --events events.csv --knowledge knowledge.json",
      "",
      "Exit codes: 0 published, 1 refused (nothing valid or too many rejected rows), 2 bad usage or I/O error."
    })
public final class LoadCommand implements MagpieSubcommand {
  @Spec CommandSpec spec;

  @Option(
      names = "--catalog",
      paramLabel = "FILE",
      description =
          "Catalog file (.jsonl, .csv, .tsv, optionally .gz; .parquet; '-' reads standard input); repeat"
              + " for several."
              + " Default: the bundled sample.")
  List<Path> catalogs = new ArrayList<>();

  @Option(
      names = "--format",
      paramLabel = "jsonl|csv|tsv|parquet",
      description = "Format of every catalog file. Default: from each file's name.")
  CatalogFormat format;

  @Option(
      names = "--columns",
      split = ",",
      paramLabel = "FIELD",
      description =
          "CSV/TSV: the field of each column in order (id, title, description, brand, category,"
              + " price, price_minor, currency, stock, rating, vector; '-' skips; any other name or attr.NAME is an"
              + " attribute). Without it the first row is the header.")
  List<String> columns;

  @Option(names = "--skip-header", description = "CSV/TSV with --columns: skip the first row.")
  boolean skipHeader;

  @Option(
      names = "--currency",
      defaultValue = "USD",
      paramLabel = "CODE",
      description = "ISO 4217 currency of prices given without one (default: ${DEFAULT-VALUE}).")
  String currency;

  @Option(
      names = "--decode-entities",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Decode HTML entities (&amp;amp; &amp;#39; ...) in titles, descriptions and brands (default: on).")
  boolean decodeEntities;

  @Option(
      names = "--vector-dim",
      defaultValue = "0",
      paramLabel = "N",
      description = "Every vector must have N values. Default: the first valid vector decides.")
  int vectorDim;

  @Option(
      names = "--threads",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Threads parsing JSONL/CSV/TSV records; 0 for one per core (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--knowledge",
      paramLabel = "FILE",
      description =
          "Knowledge file (JSON: relations, occasions, synonyms, rewrites) to store with the catalog."
              + " Default: the bundled sample's, when loading the bundled sample.")
  Path knowledge;

  @Option(
      names = "--events",
      paramLabel = "FILE",
      description =
          "Behaviour event log (views, carts, favs, purchases, ratings) to build the behaviour model and"
              + " user histories from; repeat for several. Events whose item is not in the catalog are rejected."
              + " Default: the bundled sample's, when loading the bundled sample.")
  List<Path> events = new ArrayList<>();

  @Option(
      names = "--events-format",
      defaultValue = "generic",
      paramLabel = "generic|taobao|movielens",
      converter = EventFormatConverter.class,
      description =
          "Format of every event log (default: ${DEFAULT-VALUE}: CSV with a header naming user_id,"
              + " item_id, event, timestamp, or JSONL with those keys).")
  EventFormat eventsFormat;

  @Option(
      names = "--text-stemming",
      defaultValue = "plurals",
      paramLabel = "plurals|kstem|porter|none",
      description =
          "How the text index stems English words (default: ${DEFAULT-VALUE}; recorded in the manifest).")
  ProductAnalyzer.Stemming stemming;

  @Option(
      names = "--vectors-model",
      paramLabel = "NAME",
      description =
          "With --vector-dim: the catalog's vectors came from this model (only the built-in "
              + MiniLmEmbedder.NAME
              + "), so a server embeds queries and new items with it.")
  String vectorsModel;

  @Option(
      names = "--no-embed",
      description =
          "Do not embed a catalog that brings no vectors (by default every item is embedded from its"
              + " title, brand, category and the start of its description with the built-in all-MiniLM-L6-v2"
              + " model, about 350 items/s on 2 cores, and indexed for vector search).")
  boolean noEmbed;

  /** How a bundled sample resource is named as a source. */
  private static final String SAMPLE_PREFIX = "sample:";

  @Option(
      names = "--base",
      paramLabel = "DIR",
      description =
          "Fold a served snapshot (store or version) and its write-ahead log into a new version: the base's"
              + " items with the logged price, stock and availability changes and the items the log added, its knowledge,"
              + " and its event log plus the logged events. No --catalog. Publishes into the base's store unless --out is given."
              + " A cluster directory (shard-0000 ...) is folded with its update topic (--updates-kafka) into a new"
              + " shard set, behaviour computed again over the whole catalog; each shard records where its partition"
              + " was read to.")
  Path base;

  @Option(
      names = "--wal",
      paramLabel = "DIR",
      description = "With --base: the write-ahead log to fold (default: wal/ in the base's store).")
  Path wal;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Snapshot store to publish into. Default: $MAGPIE_HOME/var/snapshots.")
  Path out;

  @Option(
      names = "--shards",
      paramLabel = "S",
      description =
          "Split the catalog into S shards (a power of two, fixed for the catalog's life), each a"
              + " store of its own: OUT/shard-0000 ... in one pass.")
  Integer shards;

  @Option(
      names = "--shard",
      paramLabel = "I/S",
      description =
          "Build only shard I of S into the store OUT, reading the whole catalog (one build per"
              + " machine or Kubernetes Job index; every builder writes the same statistics).")
  String shard;

  @Option(
      names = "--updates-kafka",
      paramLabel = "HOST:PORT[,...]",
      description =
          "With --shards or --shard: the cluster's update log on this Kafka cluster. The topic is"
              + " created with a partition per shard if missing, and each shard records where its"
              + " partition ends now: its replicas replay the updates published from there. With"
              + " --base CLUSTER_DIR: the log whose updates are folded into the new shards.")
  String updatesKafka;

  @Option(
      names = "--updates-topic",
      defaultValue = "magpie-updates",
      paramLabel = "TOPIC",
      description = "The catalog's update topic (default: ${DEFAULT-VALUE}).")
  String updatesTopic;

  @Option(
      names = "--updates-replication",
      defaultValue = "1",
      paramLabel = "N",
      description =
          "Copies of each partition when the topic is created (default: ${DEFAULT-VALUE}).")
  short updatesReplication;

  @Option(
      names = "--keep",
      defaultValue = "3",
      paramLabel = "N",
      description =
          "Published versions to keep; older ones are deleted (default: ${DEFAULT-VALUE}).")
  int keep;

  @Option(
      names = "--max-rejected",
      defaultValue = "0.5",
      paramLabel = "FRACTION",
      description =
          "Publish nothing if more than this fraction of rows is rejected (default: ${DEFAULT-VALUE}).")
  double maxRejected;

  @Option(
      names = "--rejects",
      paramLabel = "FILE",
      description = "Write every rejected row to FILE (TSV).")
  Path rejects;

  @Option(
      names = "--show-rejections",
      defaultValue = "20",
      paramLabel = "N",
      description = "Print the first N rejected rows (default: ${DEFAULT-VALUE}).")
  int showRejections;

  @Option(
      names = "--progress",
      defaultValue = "auto",
      paramLabel = "auto|bar|lines|none",
      description =
          "Progress display: a bar on a terminal, lines otherwise (default: ${DEFAULT-VALUE}).")
  Progress.Mode progress;

  @Option(
      names = "--show",
      defaultValue = "5",
      paramLabel = "N",
      description = "Items to print from the new snapshot (default: ${DEFAULT-VALUE}).")
  int show;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    if (base != null) {
      return fold(stdout, stderr);
    }
    Path store = out != null ? out : MagpieMain.defaultStore();
    if (vectorsModel != null
        && !(vectorsModel.equals(MiniLmEmbedder.NAME) && vectorDim == MiniLmEmbedder.DIMENSION)) {
      stderr.println(
          "magpie load: --vectors-model "
              + vectorsModel
              + ": only "
              + MiniLmEmbedder.NAME
              + ", with --vector-dim "
              + MiniLmEmbedder.DIMENSION);
      return USAGE;
    }
    List<CatalogSource> sources = new ArrayList<>();
    for (Path catalog : catalogs) {
      if (catalog.toString().equals("-")) {
        if (format == null) {
          stderr.println("magpie load: --catalog - (standard input) needs --format jsonl|csv|tsv");
          return USAGE;
        }
        sources.add(CatalogSource.stream("stdin", -1, () -> System.in));
        continue;
      }
      if (!Files.isReadable(catalog)) {
        stderr.println("magpie load: --catalog " + catalog + ": no such readable file");
        return USAGE;
      }
      sources.add(CatalogSource.file(catalog));
    }
    CatalogSource knowledgeSource = null;
    if (knowledge != null) {
      if (!Files.isReadable(knowledge)) {
        stderr.println("magpie load: --knowledge " + knowledge + ": no such readable file");
        return USAGE;
      }
      knowledgeSource = CatalogSource.file(knowledge);
    }
    List<CatalogSource> eventSources = new ArrayList<>();
    for (Path log : events) {
      if (!Files.isReadable(log)) {
        stderr.println("magpie load: --events " + log + ": no such readable file");
        return USAGE;
      }
      eventSources.add(CatalogSource.file(log));
    }
    if (sources.isEmpty()) {
      sources.add(sample(SampleData.CATALOG));
      if (eventSources.isEmpty()) {
        eventSources.add(sample(SampleData.EVENTS));
      }
      if (knowledgeSource == null) {
        knowledgeSource = sample(SampleData.KNOWLEDGE);
      }
    }
    ShardPlan plan;
    try {
      plan = shardPlan();
    } catch (IllegalArgumentException e) {
      stderr.println("magpie load: " + e.getMessage());
      return USAGE;
    }
    if (updatesKafka != null && plan == null) {
      stderr.println("magpie load: --updates-kafka goes with --shards or --shard");
      return USAGE;
    }
    if (plan != null && out == null) {
      stderr.println("magpie load: --shards and --shard need --out DIR");
      return USAGE;
    }
    LoadResult result;
    try {
      LoadRequest request =
          request(sources, vectorDim, store, knowledgeSource, !noEmbed)
              .withEvents(eventSources, eventsFormat)
              .withVectorsModel(vectorsModel);
      if (plan != null) {
        Map<Integer, Long> offsets = Map.of();
        if (updatesKafka != null) {
          try {
            offsets =
                new UpdateTopic(updatesTopic, plan.count())
                    .prepare(updatesKafka, updatesReplication);
          } catch (ExecutionException | TimeoutException | IllegalStateException e) {
            stderr.println("magpie load: --updates-kafka " + updatesKafka + ": " + e.getMessage());
            return FAILED;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
          }
        }
        List<LoadResult> results =
            new CatalogLoader(System.err).loadShards(request.withShards(plan), offsets);
        for (LoadResult r : results) {
          printSummary(stdout, r);
        }
        stdout.flush();
        return OK;
      }
      result = new CatalogLoader(System.err).load(request);
    } catch (LoadRefusedException e) {
      stderr.println("magpie load: " + e.getMessage());
      return FAILED;
    } catch (ModelUnavailableException e) {
      stderr.println("magpie load: " + e.getMessage() + "; --no-embed loads without vectors");
      return FAILED;
    } catch (IllegalArgumentException | IOException e) {
      stderr.println("magpie load: " + e.getMessage());
      return USAGE;
    }
    printSummary(stdout, result);
    if (show > 0) {
      try (Snapshot snapshot = Snapshot.open(result.versionDir())) {
        stdout.println();
        ItemTable.print(stdout, snapshot.items(), 0, show);
      } catch (IOException e) {
        stderr.println("magpie load: cannot reopen " + result.versionDir() + ": " + e.getMessage());
        return FAILED;
      }
    }
    stdout.flush();
    return OK;
  }

  /** The shards --shards or --shard asks for, or null for an unsharded load. */
  private ShardPlan shardPlan() {
    if (shards != null && shard != null) {
      throw new IllegalArgumentException(
          "--shards S builds every shard, --shard I/S one: not both");
    }
    if (shards != null) {
      return ShardPlan.all(shards);
    }
    if (shard != null) {
      Shard parsed = Shard.parse(shard);
      return new ShardPlan(parsed.count(), parsed.index());
    }
    return null;
  }

  /** {@code --base}: folds the base snapshot and its log into a new version. */
  private int fold(PrintWriter stdout, PrintWriter stderr) {
    if (!catalogs.isEmpty()) {
      stderr.println(
          "magpie load: --base folds the base's own items with its log; --catalog is for a fresh load");
      return USAGE;
    }
    if (shards != null || shard != null) {
      stderr.println(
          "magpie load: --base keeps the base's shards: give it the cluster directory, without"
              + " --shards or --shard");
      return USAGE;
    }
    if (ClusterDirectory.isCluster(base)) {
      return foldShards(stdout, stderr);
    }
    if (updatesKafka != null) {
      stderr.println(
          "magpie load: --base "
              + base
              + " is one store, folded with its write-ahead log; --updates-kafka goes with a"
              + " cluster directory (shard-0000 ...)");
      return USAGE;
    }
    Path baseStore = SnapshotStore.isStore(base) ? base : null;
    Path store = out != null ? out : baseStore;
    Path walDir =
        wal != null ? wal : baseStore == null ? null : baseStore.resolve(SnapshotLayout.WAL);
    if (store == null || walDir == null) {
      stderr.println(
          "magpie load: --base " + base + " is a version, not a store: give --out and --wal");
      return USAGE;
    }
    LoadResult result;
    try (BaseFold fold = new BaseFold(SnapshotStore.resolveVersionDir(base), walDir)) {
      LoadRequest request =
          foldRequest(
              "base:" + fold.base().dir(),
              store,
              fold.vectorDimension(),
              fold.base().manifest().build(),
              stderr);
      if (request == null) {
        return USAGE;
      }
      result = new CatalogLoader(System.err).load(request, fold);
      stdout.printf(
          Locale.ROOT,
          "Folded %,d write-ahead log records (through sequence %d; %,d items added, %,d"
              + " withdrawn items left out) into the base %s%n",
          fold.records(),
          fold.foldedSequence(),
          fold.addedCount(),
          fold.withdrawnCount(),
          fold.base().dir());
    } catch (LoadRefusedException e) {
      stderr.println("magpie load: " + e.getMessage());
      return FAILED;
    } catch (IllegalArgumentException | IOException e) {
      stderr.println("magpie load: --base " + base + ": " + e.getMessage());
      return USAGE;
    }
    printSummary(stdout, result);
    stdout.flush();
    return OK;
  }

  /**
   * {@code --base CLUSTER_DIR --updates-kafka}: folds every shard and the updates its partition of
   * the update topic logged since it was built into a new shard set, published into the shards'
   * stores (or under --out), each recording the offset its partition was read to.
   */
  private int foldShards(PrintWriter stdout, PrintWriter stderr) {
    if (updatesKafka == null) {
      stderr.println(
          "magpie load: --base "
              + base
              + " holds shards, whose updates are on Kafka: give --updates-kafka (and"
              + " --updates-topic unless it is the default)");
      return USAGE;
    }
    if (wal != null) {
      stderr.println("magpie load: --wal folds one store; a cluster's updates are on Kafka");
      return USAGE;
    }
    Path target = out != null ? out : base;
    KafkaUpdateLog log = new KafkaUpdateLog(updatesKafka, updatesTopic, stderr);
    try (ShardSetFold fold = new ShardSetFold(base, log)) {
      LoadRequest request =
          foldRequest(
              "base:" + base,
              target,
              fold.vectorDimension(),
              fold.shards().getFirst().manifest().build(),
              stderr);
      if (request == null) {
        return USAGE;
      }
      List<LoadResult> results =
          new CatalogLoader(System.err)
              .loadShards(
                  request.withShards(ShardPlan.all(fold.shards().size())),
                  fold.foldedOffsets(),
                  fold);
      stdout.printf(
          Locale.ROOT,
          "Folded %,d update records of topic %s (%,d skipped as unreadable; %,d items added, %,d"
              + " withdrawn items left out) into the %d shards of %s%n",
          fold.records(),
          updatesTopic,
          log.skipped(),
          fold.addedCount(),
          fold.withdrawnCount(),
          fold.shards().size(),
          base);
      for (Map.Entry<Integer, Long> e : fold.foldedOffsets().entrySet()) {
        stdout.printf(
            Locale.ROOT,
            "  shard %d: partition offsets %d to %d folded; its replicas replay from %d%n",
            e.getKey(),
            fold.readFrom().get(e.getKey()),
            e.getValue(),
            e.getValue());
      }
      for (LoadResult r : results) {
        printSummary(stdout, r);
      }
    } catch (LoadRefusedException e) {
      stderr.println("magpie load: " + e.getMessage());
      return FAILED;
    } catch (IllegalArgumentException | IOException e) {
      stderr.println("magpie load: --base " + base + ": " + e.getMessage());
      return FAILED;
    }
    stdout.flush();
    return OK;
  }

  /**
   * The load request of a fold into {@code store}: the base's event logs (as recorded in its build
   * parameters {@code built}, unless --events gives the whole log) and this command's options;
   * null, with the reason on {@code stderr}, when a recorded event log is not readable here.
   *
   * @param name the folded catalog's name, which the manifest records as its source
   */
  private LoadRequest foldRequest(
      String name, Path store, int vectorDimension, Map<String, String> built, PrintWriter stderr) {
    // Named for the manifest; the fold feeds the items itself, so it is never opened.
    CatalogSource baseSource =
        CatalogSource.stream(
            name,
            -1,
            () -> {
              throw new IOException("a base is folded, not read");
            });
    List<CatalogSource> eventSources = new ArrayList<>();
    EventFormat eventFormat = eventsFormat;
    if (!events.isEmpty()) {
      for (Path log : events) {
        eventSources.add(CatalogSource.file(log));
      }
    } else {
      String recorded = built.get(CatalogLoader.EVENTS_PARAMETER);
      if (recorded != null) {
        for (String logName : recorded.split(CatalogLoader.NAME_SEPARATOR)) {
          CatalogSource source = recordedSource(logName);
          if (source == null) {
            stderr.println(
                "magpie load: the base was built from the event log '"
                    + logName
                    + "', which is not readable here: give --events with the whole log");
            return null;
          }
          eventSources.add(source);
        }
        eventFormat =
            EventFormat.parse(built.getOrDefault(CatalogLoader.EVENT_FORMAT_PARAMETER, "generic"));
      }
    }
    return request(
            List.of(baseSource),
            vectorDimension,
            store,
            knowledge == null ? null : CatalogSource.file(knowledge),
            false)
        .withEvents(eventSources, eventFormat);
  }

  /**
   * A load of {@code sources} into {@code store} with this command's reading and keeping options.
   */
  private LoadRequest request(
      List<CatalogSource> sources,
      int vectorDimension,
      Path store,
      CatalogSource knowledgeSource,
      boolean embed) {
    return new LoadRequest(
        sources,
        format,
        new CatalogReadOptions(
            currency, decodeEntities, vectorDimension, columns, skipHeader, threads),
        store,
        keep,
        maxRejected,
        rejects,
        showRejections,
        progress,
        stemming,
        knowledgeSource,
        embed);
  }

  /**
   * The bundled sample's {@code resource}, named "sample:RESOURCE" (as the manifest records it).
   */
  private static CatalogSource sample(String resource) {
    return CatalogSource.stream(SAMPLE_PREFIX + resource, -1, () -> SampleData.open(resource));
  }

  /**
   * The event log a base recorded by name: a bundled sample or a readable file; null when neither.
   */
  private static CatalogSource recordedSource(String name) {
    if (name.startsWith(SAMPLE_PREFIX)) {
      return sample(name.substring(SAMPLE_PREFIX.length()));
    }
    Path file = Path.of(name);
    return Files.isReadable(file) ? CatalogSource.file(file) : null;
  }

  /** Reads --events-format case-insensitively, naming the formats when it is none of them. */
  static final class EventFormatConverter
      implements picocli.CommandLine.ITypeConverter<EventFormat> {
    @Override
    public EventFormat convert(String value) {
      return EventFormat.parse(value);
    }
  }

  static void printSummary(PrintWriter out, LoadResult r) {
    double seconds = r.elapsed().toNanos() / 1e9;
    out.printf(
        Locale.ROOT,
        "Loaded %,d items into %s in %.2f s (%,.0f items/s)%n",
        r.itemsLoaded(),
        r.versionDir(),
        seconds,
        r.itemsLoaded() / Math.max(seconds, 1e-9));
    out.printf(Locale.ROOT, "  rows read %,d, rejected %,d%n", r.rowsRead(), r.rejectedRows());
    for (Map.Entry<RejectReason, Long> e :
        r.rejected().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      out.printf(Locale.ROOT, "    %-16s %,d%n", e.getKey(), e.getValue());
    }
    if (r.eventsLoaded() > 0 || r.rejectedEvents() > 0) {
      out.printf(
          Locale.ROOT,
          "  events loaded %,d (%,d users), rejected %,d%n",
          r.eventsLoaded(),
          r.users(),
          r.rejectedEvents());
      for (Map.Entry<RejectReason, Long> e :
          r.eventsRejected().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
        out.printf(Locale.ROOT, "    %-16s %,d%n", e.getKey(), e.getValue());
      }
    }
    out.printf(
        Locale.ROOT,
        "  snapshot %s in %d files, %,.0f bytes per item%n",
        ItemTable.bytes(r.manifest().totalBytes()),
        r.manifest().files().size(),
        r.bytesPerItem());
  }
}
