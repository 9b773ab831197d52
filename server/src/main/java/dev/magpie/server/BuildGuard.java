package dev.magpie.server;

import dev.magpie.engine.shard.Shard;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Refuses a router's call meant for another load's shards. A router names the load it routes
 * ({@link #BUILD}, the build every shard records: a hash of the catalog's ids in order, so that it
 * changes exactly when items are added or withdrawn and ordinals move); a replica serving another
 * load answers FAILED_PRECONDITION, and the router asks another replica. Item references a
 * recommendation passes between shards (shard and ordinal) hold only within one load: without this,
 * a replica restarted on a fold that added items would answer for the wrong items. Calls without
 * the header (a client, an older router) pass.
 */
final class BuildGuard implements ServerInterceptor {
  /** The header carrying the load the router routes. */
  static final Metadata.Key<String> BUILD =
      Metadata.Key.of("magpie-build", Metadata.ASCII_STRING_MARSHALLER);

  private final Engines engines;

  BuildGuard(Engines engines) {
    this.engines = engines;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    String wanted = headers.get(BUILD);
    if (wanted != null) {
      Shard shard = engines.current().shard;
      String serving = shard == null ? "" : shard.build();
      if (!wanted.equals(serving)) {
        call.close(
            Status.FAILED_PRECONDITION.withDescription(
                "this replica serves the load "
                    + (serving.isEmpty() ? "(not a shard)" : serving)
                    + ", the router routes the load "
                    + wanted
                    + ": a router asks one load's shards (start a router for the new load,"
                    + " docs/scale.md)"),
            new Metadata());
        return new ServerCall.Listener<>() {};
      }
    }
    return next.startCall(call, headers);
  }
}
