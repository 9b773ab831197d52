package dev.magpie.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.cli.MagpieMain;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.server.MagpieServer;
import dev.magpie.server.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The server's kept query vectors are switchable ({@code magpie serve --query-vector-cache}): with
 * the default a repeated query is embedded once; with 0 every search embeds its query, as a
 * benchmark that claims nothing cached needs. Both counted in the metrics.
 */
class QueryVectorCacheTest {
  @TempDir Path dir;

  @Test
  void aRepeatedQueryIsEmbeddedOnceOrEveryTimeWhenNothingIsKept() throws Exception {
    Path catalog = dir.resolve("items.jsonl");
    Files.writeString(
        catalog,
        """
        {"id":"a","title":"garden hose 50 ft","category":"Garden","price_minor":2500}
        {"id":"b","title":"cordless drill","category":"Tools","price_minor":8900}
        {"id":"c","title":"leaf rake","category":"Garden","price_minor":1500}
        """);
    StringWriter err = new StringWriter();
    CommandLine load = MagpieMain.commandLine();
    load.setOut(new PrintWriter(new StringWriter(), true));
    load.setErr(new PrintWriter(err, true));
    Path store = dir.resolve("store");
    assertEquals(
        0,
        load.execute("load", "--catalog", catalog.toString(), "--out", store.toString()),
        err.toString());
    for (int kept : new int[] {ServerConfig.DEFAULT_QUERY_VECTORS, 0}) {
      MagpieServer server =
          MagpieServer.start(
              SnapshotStore.open(store).openCurrent(),
              ServerConfig.builder().port(0).queryVectors(kept).build());
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
      try {
        for (int i = 0; i < 3; i++) {
          MagpieGrpc.newBlockingStub(channel)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .search(SearchRequest.newBuilder().setQuery("watering hose").setK(3).build());
        }
        double hits = server.metrics().get("magpie.query_vectors.hits").functionCounter().count();
        double misses =
            server.metrics().get("magpie.query_vectors.misses").functionCounter().count();
        assertEquals(kept == 0 ? 0 : 2, hits, "kept " + kept);
        assertEquals(kept == 0 ? 3 : 1, misses, "kept " + kept);
      } finally {
        channel.shutdownNow();
        server.close();
      }
    }
  }
}
