package dev.magpie.ingest.load;

import dev.magpie.engine.text.ProductAnalyzer;
import dev.magpie.engine.text.TextIndex;
import dev.magpie.ingest.events.EventFormat;
import dev.magpie.ingest.input.CatalogFormat;
import dev.magpie.ingest.input.CatalogReadOptions;
import dev.magpie.ingest.input.CatalogSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to load and where.
 *
 * @param sources the catalog files, read in order
 * @param format their format, or null to infer each from its file name
 * @param readOptions how to read them
 * @param store the snapshot store directory to publish into
 * @param keepVersions how many published versions to keep (the live one always stays)
 * @param maxRejectedFraction refuse to publish when more than this fraction of rows is rejected
 * @param rejectsFile where to write every rejection as TSV, or null
 * @param showRejections how many rejections to print as they happen
 * @param progress how to show progress
 * @param stemming how the text index stems English words
 * @param knowledge the knowledge file to store with the catalog, or null
 * @param embed whether to embed items with the built-in embedder when the catalog brings no vectors
 * @param events behaviour event logs to build the behaviour model and user histories from (may be
 *     empty)
 * @param eventFormat the event logs' format
 * @param vectorsModel the model the catalog's own vectors came from (queries and new items are then
 *     embedded with it), or null when they came from elsewhere
 * @param shards the shards to build, or null for one unsharded snapshot in {@code store}
 */
public record LoadRequest(
    List<CatalogSource> sources,
    CatalogFormat format,
    CatalogReadOptions readOptions,
    Path store,
    int keepVersions,
    double maxRejectedFraction,
    Path rejectsFile,
    int showRejections,
    Progress.Mode progress,
    ProductAnalyzer.Stemming stemming,
    CatalogSource knowledge,
    boolean embed,
    List<CatalogSource> events,
    EventFormat eventFormat,
    String vectorsModel,
    ShardPlan shards) {

  /** The request with no event log. */
  public LoadRequest(
      List<CatalogSource> sources,
      CatalogFormat format,
      CatalogReadOptions readOptions,
      Path store,
      int keepVersions,
      double maxRejectedFraction,
      Path rejectsFile,
      int showRejections,
      Progress.Mode progress,
      ProductAnalyzer.Stemming stemming,
      CatalogSource knowledge,
      boolean embed) {
    this(
        sources,
        format,
        readOptions,
        store,
        keepVersions,
        maxRejectedFraction,
        rejectsFile,
        showRejections,
        progress,
        stemming,
        knowledge,
        embed,
        List.of(),
        EventFormat.GENERIC,
        null,
        null);
  }

  /** The request without embedding (a catalog that brings no vectors gets no vector index). */
  public LoadRequest(
      List<CatalogSource> sources,
      CatalogFormat format,
      CatalogReadOptions readOptions,
      Path store,
      int keepVersions,
      double maxRejectedFraction,
      Path rejectsFile,
      int showRejections,
      Progress.Mode progress,
      ProductAnalyzer.Stemming stemming,
      CatalogSource knowledge) {
    this(
        sources,
        format,
        readOptions,
        store,
        keepVersions,
        maxRejectedFraction,
        rejectsFile,
        showRejections,
        progress,
        stemming,
        knowledge,
        false);
  }

  /** The request with the default text stemming. */
  public LoadRequest(
      List<CatalogSource> sources,
      CatalogFormat format,
      CatalogReadOptions readOptions,
      Path store,
      int keepVersions,
      double maxRejectedFraction,
      Path rejectsFile,
      int showRejections,
      Progress.Mode progress) {
    this(
        sources,
        format,
        readOptions,
        store,
        keepVersions,
        maxRejectedFraction,
        rejectsFile,
        showRejections,
        progress,
        TextIndex.DEFAULT_STEMMING,
        null,
        false);
  }

  /** The same request with {@code logs} in {@code logFormat} as its event logs. */
  public LoadRequest withEvents(List<CatalogSource> logs, EventFormat logFormat) {
    return new LoadRequest(
        sources,
        format,
        readOptions,
        store,
        keepVersions,
        maxRejectedFraction,
        rejectsFile,
        showRejections,
        progress,
        stemming,
        knowledge,
        embed,
        logs,
        logFormat,
        vectorsModel,
        shards);
  }

  /**
   * The same request, its catalog's vectors declared to come from the model named {@code model}.
   */
  public LoadRequest withVectorsModel(String model) {
    return new LoadRequest(
        sources,
        format,
        readOptions,
        store,
        keepVersions,
        maxRejectedFraction,
        rejectsFile,
        showRejections,
        progress,
        stemming,
        knowledge,
        embed,
        events,
        eventFormat,
        model,
        shards);
  }

  /** The same request, building {@code plan}'s shards of the catalog. */
  public LoadRequest withShards(ShardPlan plan) {
    return new LoadRequest(
        sources,
        format,
        readOptions,
        store,
        keepVersions,
        maxRejectedFraction,
        rejectsFile,
        showRejections,
        progress,
        stemming,
        knowledge,
        embed,
        events,
        eventFormat,
        vectorsModel,
        plan);
  }

  /** Copies the source lists. */
  public LoadRequest {
    sources = List.copyOf(sources);
    events = List.copyOf(events);
    Objects.requireNonNull(eventFormat, "eventFormat");
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("no catalog to load");
    }
    if (keepVersions < 1) {
      throw new IllegalArgumentException("--keep must be at least 1, got " + keepVersions);
    }
    if (!(maxRejectedFraction >= 0 && maxRejectedFraction <= 1)) {
      throw new IllegalArgumentException(
          "--max-rejected must be a fraction from 0 to 1, got " + maxRejectedFraction);
    }
  }
}
