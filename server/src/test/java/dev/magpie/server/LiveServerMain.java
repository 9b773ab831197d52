package dev.magpie.server;

import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import java.nio.file.Path;

/**
 * A server in a process of its own, for tests that kill it: serves the store {@code args[0]} with
 * the write-ahead log {@code args[1]} on a free loopback port, prints "PORT n", and runs until
 * killed.
 */
public final class LiveServerMain {
  private LiveServerMain() {}

  /** Starts the server and waits. */
  public static void main(String[] args) throws Exception {
    Snapshot snapshot = Snapshot.open(SnapshotStore.resolveVersionDir(Path.of(args[0])));
    MagpieServer server =
        MagpieServer.start(snapshot, ServerConfig.builder().wal(Path.of(args[1])).build());
    System.out.println("PORT " + server.port());
    System.out.flush();
    server.awaitTermination();
  }
}
