package dev.magpie.server;

import dev.magpie.api.v1.AdminGrpc;
import dev.magpie.api.v1.ReloadRequest;
import dev.magpie.api.v1.ReloadResponse;
import dev.magpie.api.v1.StatsRequest;
import dev.magpie.api.v1.StatsResponse;
import dev.magpie.engine.snapshot.Manifest;
import dev.magpie.engine.snapshot.Snapshot;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code magpie.v1.Admin} service: what the server is serving, and reloading it. Thread-safe.
 */
final class AdminService extends AdminGrpc.AdminImplBase {
  /** Opens a snapshot and makes it current; answers with what was replaced and what now serves. */
  interface Reloader {
    ReloadResponse reload(Path snapshot) throws Exception;
  }

  private final Engines engines;
  private final Reloader reloader;
  private final ConcurrencyLimitInterceptor limiter;
  private final LiveUpdates live;
  private final Instant started = Instant.now();

  /**
   * The service over {@code engines}; {@code live} is null when the server takes no live updates.
   */
  AdminService(
      Engines engines, Reloader reloader, ConcurrencyLimitInterceptor limiter, LiveUpdates live) {
    this.engines = engines;
    this.reloader = reloader;
    this.limiter = limiter;
    this.live = live;
  }

  @Override
  public void stats(StatsRequest request, StreamObserver<StatsResponse> response) {
    MagpieService.answer(
        engines,
        response,
        (e, v) -> {
          Snapshot snapshot = e.snapshot;
          Manifest m = snapshot.manifest();
          StatsResponse.Builder stats = StatsResponse.newBuilder();
          if (live != null) {
            stats
                .setLiveUpdates(true)
                .setWalSequence(live.sequence())
                .setWalReplayed(live.replayedAtStart())
                .setWalCommits(live.commits())
                .setWalRecords(live.records());
          }
          return stats
              .setSnapshotDir(snapshot.dir().toString())
              .setVersion(m.version())
              .setCreatedAt(m.createdAt())
              .setItems(m.itemCount())
              .setUsers(snapshot.userHistories() == null ? 0 : snapshot.userHistories().users())
              .setSizeBytes(m.totalBytes())
              .setUptimeSeconds(Duration.between(started, Instant.now()).toSeconds())
              .setSearchModel(e.searchModel)
              .setRecommendModel(e.recommendModel)
              .setShed(limiter.shed())
              .setConcurrencyLimit(limiter.limit())
              .setInFlight(limiter.inFlight())
              .setCacheHits(e.answers.hits())
              .setCoalesced(e.answers.coalesced())
              .build();
        });
  }

  @Override
  public void reload(ReloadRequest request, StreamObserver<ReloadResponse> response) {
    MagpieService.answer(
        engines,
        response,
        (e, v) ->
            reloader.reload(
                request.getSnapshot().isEmpty()
                    ? e.snapshot.dir().getParent()
                    : Path.of(request.getSnapshot())));
  }
}
