package dev.magpie.server;

import dev.magpie.api.v1.AdminGrpc;
import dev.magpie.api.v1.StatsRequest;
import dev.magpie.api.v1.StatsResponse;
import dev.magpie.engine.snapshot.Manifest;
import dev.magpie.engine.snapshot.Snapshot;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;

/** The {@code magpie.v1.Admin} service: what the server is serving. Thread-safe. */
final class AdminService extends AdminGrpc.AdminImplBase {
  private final Snapshot snapshot;
  private final String searchModel;
  private final String recommendModel;
  private final Instant started = Instant.now();

  AdminService(Snapshot snapshot, String searchModel, String recommendModel) {
    this.snapshot = snapshot;
    this.searchModel = searchModel;
    this.recommendModel = recommendModel;
  }

  @Override
  public void stats(StatsRequest request, StreamObserver<StatsResponse> response) {
    Manifest m = snapshot.manifest();
    response.onNext(StatsResponse.newBuilder()
        .setSnapshotDir(snapshot.dir().toString())
        .setVersion(m.version())
        .setCreatedAt(m.createdAt())
        .setItems(m.itemCount())
        .setUsers(snapshot.userHistories() == null ? 0 : snapshot.userHistories().users())
        .setSizeBytes(m.totalBytes())
        .setUptimeSeconds(Duration.between(started, Instant.now()).toSeconds())
        .setSearchModel(searchModel)
        .setRecommendModel(recommendModel)
        .build());
    response.onCompleted();
  }
}
