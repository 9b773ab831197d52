package dev.magpie.server;

import dev.magpie.engine.snapshot.Snapshot;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The real server on 127.0.0.1 (a free port) and a plaintext channel to it, for end-to-end tests;
 * closing shuts both down.
 *
 * @param server the running server (it owns the snapshot)
 * @param channel a client channel to it
 */
record Loopback(MagpieServer server, ManagedChannel channel) implements AutoCloseable {
  /**
   * Starts a server on {@code snapshot} with {@code options} (its host and port are overridden).
   */
  static Loopback start(Snapshot snapshot, ServerConfig options) throws IOException {
    MagpieServer server =
        MagpieServer.start(snapshot, options.toBuilder().host("127.0.0.1").port(0).build());
    return new Loopback(
        server, NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build());
  }

  @Override
  public void close() {
    try {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      server.close();
    }
  }
}
