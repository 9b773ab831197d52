package dev.magpie.ingest.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.embed.CachingEmbedder;
import dev.magpie.engine.embed.Embedder;
import dev.magpie.engine.embed.MiniLmEmbedder;
import dev.magpie.engine.search.SearchFilters;
import dev.magpie.engine.search.SearchHit;
import dev.magpie.engine.search.SearchResult;
import dev.magpie.engine.search.VectorSearchRequest;
import dev.magpie.engine.search.VectorSearcher;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.vector.VectorIndex;
import dev.magpie.ingest.input.CatalogFormat;
import dev.magpie.ingest.input.CatalogReadOptions;
import dev.magpie.ingest.input.CatalogSource;
import dev.magpie.samples.SampleData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader embeds a catalog that brings no vectors, with the real model, and the index finds by
 * meaning.
 */
class EmbeddedLoadTest {
  @Test
  void embedsTheSampleAndFindsProductsByMeaning(@TempDir Path store) throws Exception {
    byte[] head = firstLines(400);
    CatalogSource source =
        CatalogSource.stream("sample-head", head.length, () -> new ByteArrayInputStream(head));
    LoadRequest request =
        new LoadRequest(
            List.of(source),
            CatalogFormat.JSONL,
            CatalogReadOptions.DEFAULTS,
            store,
            1,
            0.5,
            null,
            0,
            Progress.Mode.NONE,
            dev.magpie.engine.text.TextIndex.DEFAULT_STEMMING,
            null,
            true);
    new CatalogLoader(
            new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
        .load(request);
    try (Snapshot snapshot = SnapshotStore.open(store).openCurrent();
        CachingEmbedder embedder = new CachingEmbedder(new MiniLmEmbedder(), 100)) {
      assertEquals(MiniLmEmbedder.NAME, snapshot.manifest().build().get("embedder"));
      VectorIndex index = snapshot.vectors();
      assertNotNull(index);
      assertEquals(384, index.dim());
      // No word of the query is a word of the right answers' titles' key term ("sneakers",
      // "jogging").
      VectorSearcher searcher = new VectorSearcher(snapshot, embedder);
      SearchResult result = searcher.search(VectorSearchRequest.text("jogging sneakers", 5));
      int top = result.hits().get(0).ordinal();
      String category = snapshot.items().categoryPath(top);
      assertTrue(
          category.contains("Running"),
          "top hit " + snapshot.items().title(top) + " in " + category);
      String brand =
          result.hits().stream()
              .map(h -> snapshot.items().brand(h.ordinal()))
              .filter(b -> !b.isEmpty())
              .findFirst()
              .orElseThrow();
      SearchResult ofBrand =
          searcher.search(
              VectorSearchRequest.text("jogging sneakers", 5)
                  .withFilters(SearchFilters.brands(List.of(brand))));
      assertTrue(ofBrand.hits().size() > 1, "hits of brand " + brand);
      for (SearchHit hit : ofBrand.hits()) {
        assertEquals(brand, snapshot.items().brand(hit.ordinal()), hit.externalId());
      }
      IllegalArgumentException otherModel =
          assertThrows(
              IllegalArgumentException.class, () -> new VectorSearcher(snapshot, new OtherModel()));
      assertTrue(
          otherModel.getMessage().contains("embedded with " + MiniLmEmbedder.NAME),
          otherModel.getMessage());
      embedder.embed("jogging sneakers");
      assertEquals(2, embedder.hits());
      assertEquals(1, embedder.misses());
    }
  }

  /** An embedder of another name: its vectors would not be comparable with the catalog's. */
  private static final class OtherModel implements Embedder {
    @Override
    public String name() {
      return "other-model";
    }

    @Override
    public int dimension() {
      return 384;
    }

    @Override
    public float[] embed(String text) {
      throw new UnsupportedOperationException("never asked: the searcher refuses this model first");
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
      throw new UnsupportedOperationException("never asked: the searcher refuses this model first");
    }

    @Override
    public void close() {}
  }

  private static byte[] firstLines(int lines) throws IOException {
    try (InputStream in = SampleData.open(SampleData.CATALOG)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int at = 0;
      for (int i = 0; i < lines && at >= 0; i++) {
        at = text.indexOf('\n', at + 1);
      }
      return text.substring(0, at < 0 ? text.length() : at + 1).getBytes(StandardCharsets.UTF_8);
    }
  }
}
