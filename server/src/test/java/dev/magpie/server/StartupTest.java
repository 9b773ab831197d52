package dev.magpie.server;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.testing.TestSnapshots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupTest {
  @TempDir Path dir;

  @Test
  void aPortInUseIsAClearErrorAndTheFailedServerReleasesItsSnapshotOnce() throws Exception {
    List<Item> items =
        List.of(TestSnapshots.item("a", "garden hose", "Acme", "Garden", 100, 1, Map.of()));
    try (MagpieServer first =
        MagpieServer.start(
            TestSnapshots.build(dir.resolve("a"), items), ServerConfig.builder().build())) {
      IOException e =
          assertThrows(
              IOException.class,
              () ->
                  MagpieServer.start(
                      TestSnapshots.build(dir.resolve("b"), items),
                      ServerConfig.builder().host("127.0.0.1").port(first.port()).build()));
      assertTrue(
          e.getMessage().startsWith("cannot listen on 127.0.0.1:" + first.port() + ": "),
          e.getMessage());
    }
  }
}
