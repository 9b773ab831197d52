package dev.magpie.ingest.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.ingest.input.CatalogFormat;
import dev.magpie.ingest.input.CatalogReadOptions;
import dev.magpie.ingest.input.CatalogSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Home Depot catalog (research licence, read from ../shared/data, never copied). */
class HomeDepotLoadTest {
  static Path products() {
    String root = System.getProperty("magpie.repo.root", System.getProperty("user.dir") + "/..");
    return Path.of(root).resolve("../shared/data/homedepot/products.tsv").normalize();
  }

  @Test
  void loadsEveryProductWithEntitiesDecoded(@TempDir Path tmp) throws Exception {
    Path products = products();
    assumeTrue(
        Files.isReadable(products),
        "skipped: " + products + " is absent (see ../shared/data/README.md)");
    LoadResult result =
        new CatalogLoader(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
            .load(
                new LoadRequest(
                    List.of(CatalogSource.file(products)),
                    CatalogFormat.TSV,
                    CatalogReadOptions.DEFAULTS.withColumns(List.of("id", "title")),
                    tmp,
                    1,
                    0.01,
                    null,
                    0,
                    Progress.Mode.NONE));
    assertEquals(54_667, result.itemsLoaded());
    assertEquals(0, result.rejectedRows());
    try (Snapshot snapshot = Snapshot.open(result.versionDir())) {
      ItemStore items = snapshot.items();
      assertEquals("Simpson Strong-Tie 12-Gauge Angle", items.title(items.ordinalOf("100001")));
      long withEntities = 0;
      for (int i = 0; i < items.size(); i++) {
        String title = items.title(i);
        if (title.contains("&amp;") || title.contains("&#39;") || title.contains("&quot;")) {
          withEntities++;
        }
      }
      assertEquals(0, withEntities, "entities are decoded");
    }
  }
}
