package dev.magpie.ingest.load;

import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.behaviour.BehaviourModelBuilder;
import dev.magpie.engine.behaviour.BehaviourParameters;
import dev.magpie.engine.behaviour.Event;
import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.engine.behaviour.UserHistories;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.catalog.RejectReason;
import dev.magpie.engine.catalog.Rejection;
import dev.magpie.engine.embed.Embedder;
import dev.magpie.engine.embed.MiniLmEmbedder;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.knowledge.KnowledgeReader;
import dev.magpie.engine.live.WriteAheadLog;
import dev.magpie.engine.recommend.Recommender;
import dev.magpie.engine.shard.Shard;
import dev.magpie.engine.snapshot.Manifest;
import dev.magpie.engine.snapshot.ShardSetWriter;
import dev.magpie.engine.snapshot.SnapshotLayout;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.snapshot.SnapshotWriter;
import dev.magpie.engine.snapshot.StagedSnapshot;
import dev.magpie.ingest.events.EventReader;
import dev.magpie.ingest.events.EventSink;
import dev.magpie.ingest.input.CatalogFormat;
import dev.magpie.ingest.input.CatalogReader;
import dev.magpie.ingest.input.CatalogSink;
import dev.magpie.ingest.input.CatalogSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap;

/**
 * Loads catalog files into a new snapshot version and publishes it. Rows are streamed: each valid
 * item goes straight to the {@link SnapshotWriter}; a row whose id was already loaded is rejected
 * as {@link RejectReason#DUPLICATE_ID} (the first row wins). Nothing is published when no item is
 * valid or when more rows are rejected than {@link LoadRequest#maxRejectedFraction()} allows, so a
 * wrong format flag cannot replace a good catalog with an empty one.
 */
public final class CatalogLoader {
  /** Build parameter: the event logs' names, joined by {@link #NAME_SEPARATOR}. */
  public static final String EVENTS_PARAMETER = "events";

  /** Build parameter: the event logs' format. */
  public static final String EVENT_FORMAT_PARAMETER = "eventFormat";

  /** How source names are joined in build parameters. */
  public static final String NAME_SEPARATOR = ", ";

  private final PrintStream err;

  /**
   * @param err where rejections and progress go
   */
  public CatalogLoader(PrintStream err) {
    this.err = err;
  }

  /**
   * Runs a load.
   *
   * @throws LoadRefusedException when the input was read but not published
   * @throws IOException when a source cannot be read or the snapshot cannot be written
   */
  public LoadResult load(LoadRequest request) throws IOException, LoadRefusedException {
    return load(request, null);
  }

  /**
   * Runs a load that folds {@code base} (its items changed by its write-ahead log, its knowledge
   * unless the request gives some, the log's events after the request's) into a new version instead
   * of reading the request's catalog sources; null runs an ordinary load.
   *
   * <p>An ordinary load into a store whose server keeps a write-ahead log ({@link
   * SnapshotLayout#WAL} in the store) records the log's end as folded: the new catalog supersedes
   * the updates logged before the load began, while those logged during the load are replayed onto
   * it when it is served.
   */
  public LoadResult load(LoadRequest request, FoldedCatalog base)
      throws IOException, LoadRefusedException {
    if (request.shards() != null) {
      throw new IllegalArgumentException("a sharded load publishes several snapshots: loadShards");
    }
    long start = System.nanoTime();
    SnapshotStore store = SnapshotStore.open(request.store());
    long walEnd =
        base != null ? -1 : WriteAheadLog.end(request.store().resolve(SnapshotLayout.WAL));
    Knowledge knowledge = knowledge(request, base != null ? base.knowledge() : Knowledge.EMPTY);
    Progress progress = new Progress(err, request.progress(), totalBytes(request));
    Sink sink = new Sink(request, progress, base == null);
    Manifest manifest;
    LoadResult result;
    try (StagedSnapshot staged = store.stage();
        SnapshotWriter writer =
            staged.writer(
                base != null ? base.vectorDimension() : request.readOptions().vectorDimension(),
                request.stemming());
        Rejections rejections = new Rejections(request, progress, err);
        sink) {
      sink.writer = ItemTarget.of(writer);
      writer.knowledge(knowledge);
      sink.rejections = rejections;
      if (base != null) {
        base.feed(sink);
      }
      if (base == null) {
        readSources(request, sink);
      }
      finishReading(request, sink, progress, rejections, writer::itemCount);
      List<Event> liveEvents = base == null ? List.of() : base.events();
      EventLoad events =
          request.events().isEmpty() && liveEvents.isEmpty()
              ? null
              : loadEvents(
                  request,
                  liveEvents,
                  base == null ? id -> false : base::withdrew,
                  sink.ordinals,
                  writer,
                  rejections);
      Map<String, String> build = buildParameters(request, sink);
      if (base != null) {
        build.putAll(base.buildParameters());
      } else if (walEnd > 0) {
        build.put(WriteAheadLog.FOLDED, Long.toString(walEnd));
      }
      if (events != null) {
        putEvents(build, request, events);
      }
      if (request.vectorsModel() != null && sink.embedding == null) {
        build.put(Embedder.MANIFEST_PARAMETER, request.vectorsModel());
      }
      if (sink.embedding != null) {
        build.put(Embedder.MANIFEST_PARAMETER, sink.embedding.embedderName());
        build.put("embedded", Long.toString(sink.embedding.embedded()));
        build.put("embedSeconds", String.format(Locale.ROOT, "%.1f", sink.embedding.seconds()));
      }
      manifest = writer.finish(build);
      staged.publish();
      result =
          new LoadResult(
              manifest,
              staged.publishedDir(),
              sink.rows,
              writer.itemCount(),
              sink.rejected,
              Duration.ofNanos(System.nanoTime() - start),
              events == null ? 0 : events.loaded,
              events == null ? Map.of() : events.rejected,
              events == null ? 0 : events.users);
    }
    store.prune(request.keepVersions());
    pruneLog(store);
    return result;
  }

  /** Records the events read in the build parameters. */
  private static void putEvents(Map<String, String> build, LoadRequest request, EventLoad events) {
    build.put(
        EVENTS_PARAMETER,
        String.join(NAME_SEPARATOR, request.events().stream().map(CatalogSource::name).toList()));
    build.put(EVENT_FORMAT_PARAMETER, request.eventFormat().name().toLowerCase(Locale.ROOT));
    build.put("eventsLoaded", Long.toString(events.loaded));
    events.rejected.forEach(
        (reason, count) -> build.put("eventsRejected." + reason, Long.toString(count)));
  }

  /** The catalog sources' bytes together, or -1 when any size is unknown (a stream). */
  private static long totalBytes(LoadRequest request) {
    long total = 0;
    for (CatalogSource source : request.sources()) {
      long size = source.size();
      total = size < 0 || total < 0 ? -1 : total + size;
    }
    return total;
  }

  /** The request's knowledge file, read; {@code otherwise} when it gives none. */
  private static Knowledge knowledge(LoadRequest request, Knowledge otherwise) throws IOException {
    if (request.knowledge() == null) {
      return otherwise;
    }
    try (InputStream in = request.knowledge().open()) {
      return KnowledgeReader.read(in, request.knowledge().name());
    }
  }

  /** Reads every catalog source into {@code sink}, in order. */
  private static void readSources(LoadRequest request, Sink sink) throws IOException {
    for (int i = 0; i < request.sources().size(); i++) {
      CatalogSource source = request.sources().get(i);
      sink.sourceIndex = i;
      CatalogFormat format =
          request.format() != null
              ? request.format()
              : CatalogFormat.fromFileName(source.nameForFormat());
      if (format == null) {
        throw new IOException(
            source.name()
                + ": cannot tell the format from the file name; give --format jsonl|csv|tsv|parquet");
      }
      CatalogReader.forFormat(format, request.readOptions()).read(source, sink);
      sink.bytesBefore += sink.bytesInSource;
      sink.bytesInSource = 0;
    }
  }

  /**
   * Writes the items still being embedded, ends the progress line and the rejection report, and
   * refuses the load when no item is valid or too many rows were rejected.
   */
  private static void finishReading(
      LoadRequest request, Sink sink, Progress progress, Rejections rejections, LongSupplier items)
      throws IOException, LoadRefusedException {
    if (sink.embedding != null) {
      sink.embedding.flush();
    }
    progress.finish(null);
    rejections.finish();
    long rejected = sink.rejected.values().stream().mapToLong(Long::longValue).sum();
    if (items.getAsLong() == 0) {
      throw new LoadRefusedException(
          "no valid item in " + sink.rows + " rows (" + rejected + " rejected): nothing published");
    }
    double fraction = (double) rejected / sink.rows;
    if (fraction > request.maxRejectedFraction()) {
      throw new LoadRefusedException(
          String.format(
              Locale.ROOT,
              "%d of %d rows rejected (%.1f%%, the limit is %.1f%%): nothing published; fix the"
                  + " input, check --format and --columns, or raise --max-rejected",
              rejected,
              sink.rows,
              100 * fraction,
              100 * request.maxRejectedFraction()));
    }
  }

  /**
   * Loads the catalog into the shards {@link LoadRequest#shards()} names, in one pass over it: each
   * shard a new version of its own store, with the whole catalog's text statistics and vector scale
   * (see {@link ShardSetWriter}). The shards are published together once all are written; a shard
   * whose store kept a version from an earlier load serves that until then.
   *
   * <p>Behaviour from the event logs is computed once over the whole catalog and split over the
   * shards ({@link ShardSetWriter#behaviour}): each item's statistics and relation rows on its own
   * shard, each shopper's history on their home shard, the catalog-wide popularity ranks and
   * exploration pool on every shard.
   *
   * @return one result per shard built, in shard order
   * @throws LoadRefusedException when the input was read but nothing was published
   */
  public List<LoadResult> loadShards(LoadRequest request) throws IOException, LoadRefusedException {
    return loadShards(request, Map.of());
  }

  /**
   * As {@link #loadShards(LoadRequest)}, each shard recording the offset of its partition of the
   * catalog's update log taken before the load began ({@link Shard#UPDATES_OFFSET_PARAMETER}): its
   * replicas replay the updates published from there on top of the new catalog.
   *
   * @param updateOffsets each shard's partition's end offset, by shard; empty for none
   */
  public List<LoadResult> loadShards(LoadRequest request, Map<Integer, Long> updateOffsets)
      throws IOException, LoadRefusedException {
    return loadShards(request, updateOffsets, null);
  }

  /**
   * As {@link #loadShards(LoadRequest, Map)}, folding {@code fold} (a served shard set and the
   * updates logged since it was built, {@link ShardSetFold}) into the new shards instead of reading
   * the request's catalog sources: its items as changed, then the items the log added, its
   * knowledge unless the request gives some, the logged events after the request's event logs.
   *
   * @param fold the catalog to fold, or null to read the request's sources
   */
  public List<LoadResult> loadShards(
      LoadRequest request, Map<Integer, Long> updateOffsets, FoldedCatalog fold)
      throws IOException, LoadRefusedException {
    ShardPlan plan = request.shards();
    if (plan == null) {
      throw new IllegalArgumentException("the request names no shards");
    }
    long start = System.nanoTime();
    Knowledge knowledge = knowledge(request, fold != null ? fold.knowledge() : Knowledge.EMPTY);
    int count = plan.count();
    SnapshotStore[] stores = new SnapshotStore[count];
    StagedSnapshot[] staged = new StagedSnapshot[count];
    SnapshotWriter[] writers = new SnapshotWriter[count];
    Files.createDirectories(request.store());
    Path scratch =
        Files.createTempDirectory(request.store().toAbsolutePath().getParent(), ".magpie-shards-");
    Progress progress = new Progress(err, request.progress(), totalBytes(request));
    Sink sink = new Sink(request, progress, fold == null);
    Map<Integer, Manifest> manifests;
    EventLoad events = null;
    try (Rejections rejections = new Rejections(request, progress, err);
        sink) {
      for (int i = 0; i < count; i++) {
        if (plan.builds(i)) {
          stores[i] = SnapshotStore.open(plan.store(request.store(), i));
          staged[i] = stores[i].stage();
          writers[i] =
              staged[i].writer(request.readOptions().vectorDimension(), request.stemming());
          writers[i].knowledge(knowledge);
        }
      }
      int dimension =
          sink.embed ? MiniLmEmbedder.DIMENSION : request.readOptions().vectorDimension();
      try (ShardSetWriter shards =
          new ShardSetWriter(writers, scratch, request.stemming(), dimension)) {
        sink.writer = ItemTarget.of(shards);
        sink.rejections = rejections;
        if (fold != null) {
          fold.feed(sink);
        } else {
          readSources(request, sink);
        }
        finishReading(request, sink, progress, rejections, shards::itemCount);
        List<Event> liveEvents = fold == null ? List.of() : fold.events();
        events =
            request.events().isEmpty() && liveEvents.isEmpty()
                ? null
                : readEvents(
                    request,
                    liveEvents,
                    fold == null ? id -> false : fold::withdrew,
                    sink.ordinals,
                    (int) shards.itemCount(),
                    rejections);
        shards.behaviour(
            events == null ? null : events.model(),
            events == null ? null : events.interactions,
            UserHistories.DEFAULT_LIMIT,
            Recommender.EXPLORATION_MAX_USERS);
        Map<String, String> build = buildParameters(request, sink);
        if (fold != null) {
          build.putAll(fold.buildParameters());
        }
        if (events != null) {
          putEvents(build, request, events);
        }
        if (request.vectorsModel() != null && sink.embedding == null) {
          build.put(Embedder.MANIFEST_PARAMETER, request.vectorsModel());
        }
        if (sink.embedding != null) {
          build.put(Embedder.MANIFEST_PARAMETER, sink.embedding.embedderName());
          build.put("embedded", Long.toString(sink.embedding.embedded()));
        }
        manifests =
            shards.finish(
                build,
                shard ->
                    updateOffsets.containsKey(shard)
                        ? Map.of(
                            Shard.UPDATES_OFFSET_PARAMETER, Long.toString(updateOffsets.get(shard)))
                        : Map.of(),
                sink.embedding == null ? null : sink.embedding.embedder());
      }
      for (StagedSnapshot s : staged) {
        if (s != null) {
          s.publish();
        }
      }
    } finally {
      for (StagedSnapshot s : staged) {
        if (s != null) {
          s.close();
        }
      }
      SnapshotStore.deleteTree(scratch);
    }
    List<LoadResult> results = new ArrayList<>();
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    for (Map.Entry<Integer, Manifest> m : manifests.entrySet()) {
      results.add(
          new LoadResult(
              m.getValue(),
              staged[m.getKey()].publishedDir(),
              sink.rows,
              m.getValue().itemCount(),
              sink.rejected,
              elapsed,
              events == null ? 0 : events.loaded,
              events == null ? Map.of() : events.rejected,
              events == null ? 0 : events.users));
      stores[m.getKey()].prune(request.keepVersions());
    }
    return results;
  }

  /**
   * Deletes the store's log segments that every version still kept has folded: a rollback to any of
   * them still finds the records it needs.
   */
  private void pruneLog(SnapshotStore store) throws IOException {
    Path wal = store.root().resolve(SnapshotLayout.WAL);
    if (!Files.isDirectory(wal)) {
      return;
    }
    long through = Long.MAX_VALUE;
    for (int version : store.versions()) {
      Path dir = store.root().resolve(SnapshotLayout.versionName(version));
      Manifest m = Manifest.read(dir.resolve(SnapshotLayout.MANIFEST));
      through = Math.min(through, WriteAheadLog.folded(m));
    }
    int deleted = through == Long.MAX_VALUE ? 0 : WriteAheadLog.prune(wal, through);
    if (deleted > 0) {
      err.println(
          "load: deleted "
              + deleted
              + " write-ahead log segment(s) folded into every kept version (through"
              + " sequence "
              + through
              + ")");
    }
  }

  /**
   * Reads the event logs over the loaded items, reporting events whose item is not in the catalog
   * ({@link RejectReason#UNKNOWN_ITEM}) with the other bad events, and gives the writer the
   * behaviour model and the users' histories built from them.
   *
   * @throws LoadRefusedException when more events are rejected than the request allows
   */
  private static EventLoad loadEvents(
      LoadRequest request,
      List<Event> liveEvents,
      Predicate<String> withdrawn,
      ObjectIntHashMap<String> ordinals,
      SnapshotWriter writer,
      Rejections rejections)
      throws IOException, LoadRefusedException {
    EventLoad load =
        readEvents(request, liveEvents, withdrawn, ordinals, (int) writer.itemCount(), rejections);
    writer.behaviour(load.model());
    writer.userHistories(load.interactions, UserHistories.DEFAULT_LIMIT);
    return load;
  }

  /**
   * Reads the event logs over the loaded items (by catalog position), reporting events whose item
   * is not in the catalog ({@link RejectReason#UNKNOWN_ITEM}) with the other bad events.
   *
   * @throws LoadRefusedException when more events are rejected than the request allows
   */
  private static EventLoad readEvents(
      LoadRequest request,
      List<Event> liveEvents,
      Predicate<String> withdrawn,
      ObjectIntHashMap<String> ordinals,
      int items,
      Rejections rejections)
      throws IOException, LoadRefusedException {
    EventLoad load = new EventLoad();
    Interactions.Builder log = new Interactions.Builder(items);
    IOException[] failure = {null};
    EventSink sink =
        new EventSink() {
          @Override
          public void accept(Event event, String source, long line) {
            int item = ordinals.getIfAbsent(event.item(), -1);
            if (item < 0 && withdrawn.test(event.item())) {
              return; // its item left the catalog with this fold: not a bad event
            }
            if (item < 0) {
              reject(
                  new Rejection(
                      source,
                      line,
                      "item_id",
                      event.item(),
                      RejectReason.UNKNOWN_ITEM,
                      "no item with this id in the catalog"));
              return;
            }
            log.add(event, item);
            load.loaded++;
          }

          @Override
          public void reject(Rejection rejection) {
            load.rejected.merge(rejection.reason(), 1L, Long::sum);
            try {
              rejections.add(rejection);
            } catch (IOException e) {
              if (failure[0] == null) {
                failure[0] = e;
              }
            }
          }
        };
    EventReader reader = new EventReader(request.eventFormat());
    for (CatalogSource source : request.events()) {
      try (InputStream in = source.open()) {
        reader.read(in, source.name(), sink);
      }
      if (failure[0] != null) {
        throw failure[0];
      }
    }
    long line = 0;
    for (Event event : liveEvents) {
      sink.accept(event, "write-ahead log", ++line);
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    long rejected = load.rejected.values().stream().mapToLong(Long::longValue).sum();
    long read = load.loaded + rejected;
    if (read > 0 && (double) rejected / read > request.maxRejectedFraction()) {
      throw new LoadRefusedException(
          String.format(
              Locale.ROOT,
              "%d of %d events rejected (%.1f%%, the limit is %.1f%%): nothing published; check --events-format"
                  + " and that the events' item ids are the catalog's",
              rejected,
              read,
              100.0 * rejected / read,
              100 * request.maxRejectedFraction()));
    }
    load.interactions = log.build();
    load.users = load.interactions.users();
    return load;
  }

  /** What reading the event logs did. */
  private static final class EventLoad {
    final Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
    long loaded;
    int users;
    Interactions interactions;

    /** The behaviour model of the events read, over catalog positions. */
    BehaviourModel model() {
      return new BehaviourModelBuilder(BehaviourParameters.DEFAULTS).build(interactions);
    }
  }

  private static Map<String, String> buildParameters(LoadRequest request, Sink sink) {
    Map<String, String> build = new LinkedHashMap<>();
    build.put("loader", "magpie-loader " + version());
    build.put(
        "sources",
        String.join(NAME_SEPARATOR, request.sources().stream().map(CatalogSource::name).toList()));
    build.put(
        "format",
        request.format() == null
            ? "by file name"
            : request.format().name().toLowerCase(Locale.ROOT));
    if (request.readOptions().columns() != null) {
      build.put("columns", String.join(",", request.readOptions().columns()));
    }
    if (request.knowledge() != null) {
      build.put("knowledge", request.knowledge().name());
    }
    build.put("defaultCurrency", request.readOptions().defaultCurrency());
    build.put("decodeHtmlEntities", Boolean.toString(request.readOptions().decodeHtmlEntities()));
    build.put("rowsRead", Long.toString(sink.rows));
    build.put(
        "rowsRejected",
        Long.toString(sink.rejected.values().stream().mapToLong(Long::longValue).sum()));
    sink.rejected.forEach((reason, count) -> build.put("rejected." + reason, Long.toString(count)));
    return build;
  }

  static String version() {
    String v = CatalogLoader.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Counts, deduplicates and forwards rows to the writer. */
  private static final class Sink implements CatalogSink, AutoCloseable {
    private final Progress progress;

    /** Ordinal of each loaded item's id. */
    private final ObjectIntHashMap<String> ordinals = new ObjectIntHashMap<>();

    /** Where each ordinal's row was read: source index << 48 | line. */
    private final LongArrayList firstRow = new LongArrayList();

    private final Map<RejectReason, Long> rejected = new EnumMap<>(RejectReason.class);
    private final List<CatalogSource> sources;
    private ItemTarget writer;
    private Rejections rejections;
    private final boolean embed;
    private boolean decided;
    private EmbeddingBatches embedding;
    private int sourceIndex;
    private long rows;
    private long bytesBefore;
    private long bytesInSource;

    Sink(LoadRequest request, Progress progress, boolean mayEmbed) {
      this.progress = progress;
      this.sources = request.sources();
      this.embed = mayEmbed && request.embed() && request.readOptions().vectorDimension() == 0;
    }

    /**
     * Decided by the first item: a catalog that brings vectors keeps them; one that brings none is
     * embedded (when asked), every item, so that all vectors share one space.
     */
    private void decide(Item first) {
      decided = true;
      if (embed && !first.hasVector()) {
        embedding = new EmbeddingBatches(new MiniLmEmbedder(), writer);
      }
    }

    @Override
    public boolean accept(Item item, String source, long line) throws IOException {
      rows++;
      int ordinal = ordinals.getIfAbsentPut(item.externalId(), firstRow.size());
      if (ordinal != firstRow.size()) {
        long previous = firstRow.get(ordinal);
        String at =
            sources.get((int) (previous >>> 48)).name() + ":" + (previous & ((1L << 48) - 1));
        reject(
            new Rejection(
                source,
                line,
                "id",
                item.externalId(),
                RejectReason.DUPLICATE_ID,
                "id already loaded from " + at + " (the first row wins)"),
            false);
        return false;
      }
      firstRow.add(((long) sourceIndex << 48) | line);
      if (!decided) {
        decide(item);
      }
      if (embedding != null) {
        embedding.add(item.hasVector() ? item.withVector(null) : item);
        progress.update(bytesBefore + bytesInSource, embedding.itemCount());
      } else {
        writer.add(item);
        progress.update(bytesBefore + bytesInSource, writer.itemCount());
      }
      return true;
    }

    @Override
    public void reject(Rejection rejection) throws IOException {
      reject(rejection, true);
    }

    /** Stops the embedder's threads, whether the load succeeded or not. */
    @Override
    public void close() {
      if (embedding != null) {
        embedding.close();
      }
    }

    private void reject(Rejection rejection, boolean countRow) throws IOException {
      if (countRow) {
        rows++;
      }
      rejected.merge(rejection.reason(), 1L, Long::sum);
      rejections.add(rejection);
    }

    @Override
    public void progress(long bytesRead) {
      bytesInSource = bytesRead;
      progress.update(bytesBefore + bytesInSource, writer.itemCount());
    }
  }

  /** Prints the first rejections and writes all of them to the rejects file. */
  private static final class Rejections implements AutoCloseable {
    private final LoadRequest request;
    private final Progress progress;
    private final PrintStream out;
    private final BufferedWriter file;
    private long count;

    Rejections(LoadRequest request, Progress progress, PrintStream out) throws IOException {
      this.request = request;
      this.progress = progress;
      this.out = out;
      if (request.rejectsFile() != null) {
        file = Files.newBufferedWriter(request.rejectsFile(), StandardCharsets.UTF_8);
        file.write("source\tline\tfield\treason\tvalue\tmessage\n");
      } else {
        file = null;
      }
    }

    void add(Rejection r) throws IOException {
      count++;
      if (count <= request.showRejections()) {
        progress.interrupt();
        out.println("rejected " + r);
      }
      if (file != null) {
        file.write(
            tsv(r.source())
                + "\t"
                + r.line()
                + "\t"
                + tsv(r.field())
                + "\t"
                + r.reason()
                + "\t"
                + tsv(r.value() == null ? "" : r.value())
                + "\t"
                + tsv(r.message())
                + "\n");
      }
    }

    void finish() {
      long hidden = count - request.showRejections();
      if (hidden > 0) {
        out.println(
            "... "
                + hidden
                + " more rejected rows"
                + (file == null
                    ? " (write them all with --rejects FILE)"
                    : " in " + request.rejectsFile()));
      }
    }

    private static String tsv(String s) {
      return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    @Override
    public void close() throws IOException {
      if (file != null) {
        file.close();
      }
    }
  }
}
