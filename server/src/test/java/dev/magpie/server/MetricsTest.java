package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.testing.TestSnapshots;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Prometheus endpoint of a real server, scraped over loopback HTTP after a few calls. */
class MetricsTest {
  @TempDir Path dir;

  @Test
  void callsAreCountedByMethodAndCodeWithLatencyHistograms() throws Exception {
    List<Item> items =
        List.of(TestSnapshots.item("a", "garden hose", "Acme", "Garden", 100, 1, Map.of()));
    try (Loopback loopback =
            Loopback.start(
                TestSnapshots.build(dir.resolve("s"), items),
                ServerConfig.builder().wal(dir.resolve("wal")).build());
        MetricsEndpoint endpoint =
            MetricsEndpoint.start("127.0.0.1", 0, loopback.server().metrics())) {
      MagpieGrpc.MagpieBlockingStub magpie = MagpieGrpc.newBlockingStub(loopback.channel());
      SearchRequest search = SearchRequest.newBuilder().setQuery("garden hose").setK(3).build();
      magpie.search(search);
      magpie.search(search);
      assertThrows(
          StatusRuntimeException.class, () -> magpie.search(search.toBuilder().setK(0).build()));
      magpie.updateItems(
          dev.magpie.api.v1.UpdateItemsRequest.newBuilder()
              .addUpdates(dev.magpie.api.v1.ItemUpdate.newBuilder().setItemId("a").setStock(4))
              .build());
      HttpResponse<String> scrape =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, scrape.statusCode());
      String body = scrape.body();
      assertTrue(
          body.lines()
              .anyMatch(
                  l ->
                      l.startsWith("magpie_calls_seconds_count{")
                          && l.contains("code=\"OK\"")
                          && l.contains("method=\"magpie.v1.Magpie/Search\"")
                          && l.endsWith(" 2")),
          body);
      assertTrue(
          body.lines()
              .anyMatch(
                  l ->
                      l.startsWith("magpie_calls_seconds_count{")
                          && l.contains("code=\"INVALID_ARGUMENT\"")
                          && l.endsWith(" 1")),
          body);
      assertTrue(body.contains("magpie_calls_seconds_bucket{"), "latency histogram buckets");
      assertTrue(body.lines().anyMatch(l -> l.startsWith("magpie_cache_hits ")), body);
      assertTrue(body.lines().anyMatch(l -> l.startsWith("magpie_shed_total ")), body);
      assertTrue(body.lines().anyMatch(l -> l.startsWith("magpie_concurrency_limit ")), body);
      assertTrue(body.lines().anyMatch(l -> l.equals("magpie_wal_records_total 1.0")), body);
      assertTrue(body.lines().anyMatch(l -> l.startsWith("magpie_wal_commits_total ")), body);
    }
  }
}
