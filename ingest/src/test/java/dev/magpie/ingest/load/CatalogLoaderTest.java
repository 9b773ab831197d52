package dev.magpie.ingest.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.catalog.RejectReason;
import dev.magpie.engine.search.SearchRequest;
import dev.magpie.engine.search.TextSearcher;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.testing.RandomItems;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.ingest.input.CatalogReadOptions;
import dev.magpie.ingest.input.CatalogSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Seeded
class CatalogLoaderTest {
  @TempDir Path tmp;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private LoadResult load(Path store, CatalogReadOptions options, Path... files)
      throws IOException, LoadRefusedException {
    return new CatalogLoader(new PrintStream(err, true, StandardCharsets.UTF_8))
        .load(
            new LoadRequest(
                java.util.Arrays.stream(files).map(CatalogSource::file).toList(),
                null,
                options,
                store,
                3,
                0.5,
                tmp.resolve("rejects.tsv"),
                5,
                Progress.Mode.NONE));
  }

  /** Writes items as JSON Lines, every field explicit. */
  static void writeJsonl(List<Item> items, OutputStream out) throws IOException {
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      json.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
      for (Item item : items) {
        json.writeStartObject();
        json.writeStringField("id", item.externalId());
        json.writeStringField("title", item.title());
        json.writeStringField("description", item.description());
        json.writeStringField("brand", item.brand());
        json.writeStringField("category", item.categoryPath());
        if (item.hasPrice()) {
          json.writeNumberField("price_minor", item.priceMinor());
          json.writeStringField("currency", item.currency());
        }
        if (item.hasStock()) {
          json.writeNumberField("stock", item.stock());
        }
        if (item.hasRating()) {
          json.writeNumberField("rating", item.rating());
        }
        json.writeObjectFieldStart("attributes");
        for (Map.Entry<String, String> a : item.attributes().entrySet()) {
          json.writeStringField(a.getKey(), a.getValue());
        }
        json.writeEndObject();
        if (item.hasVector()) {
          json.writeArrayFieldStart("vector");
          for (float v : item.vector()) {
            json.writeNumber(v);
          }
          json.writeEndArray();
        }
        json.writeEndObject();
      }
      json.writeRaw('\n');
    }
  }

  @Test
  void everyFieldSurvivesFileToSnapshot(Random random) throws Exception {
    int dimension = 1 + random.nextInt(48);
    List<Item> items = RandomItems.items(random, 1 + random.nextInt(4000), dimension);
    Path catalog = tmp.resolve(random.nextBoolean() ? "catalog.jsonl" : "catalog.jsonl.gz");
    try (OutputStream out =
        catalog.toString().endsWith(".gz")
            ? new GZIPOutputStream(Files.newOutputStream(catalog))
            : Files.newOutputStream(catalog)) {
      writeJsonl(items, out);
    }
    Path store = tmp.resolve("store");
    int threads = 1 + random.nextInt(4);
    LoadResult result =
        load(store, new CatalogReadOptions("USD", false, 0, null, false, threads), catalog);
    assertEquals(items.size(), result.itemsLoaded(), err.toString(StandardCharsets.UTF_8));
    assertEquals(0, result.rejectedRows());
    try (Snapshot snapshot = SnapshotStore.open(store).openCurrent()) {
      ItemStore read = snapshot.items();
      for (int i = 0; i < items.size(); i++) {
        assertEquals(items.get(i), read.item(i), "item " + i);
      }
    }
  }

  /**
   * Ordinals, rejections and every byte of every column are the same whether one thread parses or
   * many: results are delivered in input order.
   */
  @Test
  void parallelParsingWritesTheSameSnapshotAsOneThread(Random random) throws Exception {
    List<Item> items = RandomItems.items(random, 3000 + random.nextInt(3000), 8);
    ByteArrayOutputStream good = new ByteArrayOutputStream();
    writeJsonl(items, good);
    StringBuilder catalog = new StringBuilder();
    List<String> lines = List.of(good.toString(StandardCharsets.UTF_8).split("\n"));
    for (String line : lines) {
      catalog.append(line).append('\n');
      int r = random.nextInt(50);
      if (r == 0) {
        catalog.append("{\"id\":\"bad\",\"title\":\"x\",\"price\":\"-1\"}\n");
      } else if (r == 1) {
        catalog.append(lines.get(random.nextInt(lines.size()))).append('\n');
      } else if (r == 2) {
        catalog
            .append("{\"id\":\"v")
            .append(random.nextInt())
            .append("\",\"title\":\"x\",\"vector\":[1,2]}\n");
      }
    }
    Path file = tmp.resolve("mixed.jsonl");
    Files.writeString(file, catalog);
    CatalogReadOptions options = new CatalogReadOptions("USD", false, 8, null, false, 1);
    load(tmp.resolve("one"), options, file);
    String oneRejects = Files.readString(tmp.resolve("rejects.tsv"));
    load(tmp.resolve("many"), options.withParseThreads(2 + random.nextInt(6)), file);
    assertEquals(oneRejects, Files.readString(tmp.resolve("rejects.tsv")));
    assertTrue(oneRejects.lines().count() > 1, "the catalog has bad rows");
    Path a = SnapshotStore.open(tmp.resolve("one")).currentDir();
    Path b = SnapshotStore.open(tmp.resolve("many")).currentDir();
    try (var files = Files.walk(a)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        // Lucene stamps random segment ids into its files: the text index is compared by behaviour.
        if (!f.getFileName().toString().equals("manifest.json")
            && !a.relativize(f).startsWith("text")) {
          org.junit.jupiter.api.Assertions.assertArrayEquals(
              Files.readAllBytes(f), Files.readAllBytes(b.resolve(a.relativize(f))), f.toString());
        }
      }
    }
    try (Snapshot one = Snapshot.open(a);
        Snapshot many = Snapshot.open(b)) {
      TextSearcher sa = new TextSearcher(one);
      TextSearcher sb = new TextSearcher(many);
      for (int i = 0; i < 20; i++) {
        String title = items.get(random.nextInt(items.size())).title();
        String query = title.substring(0, Math.min(title.length(), 200));
        SearchRequest request =
            SearchRequest.of(query, 10).withUnderstanding(false).withExplanations(false);
        assertEquals(sa.search(request).hits(), sb.search(request).hits(), query);
      }
    }
  }

  @Test
  void duplicateIdsKeepTheFirstRowAcrossFiles() throws Exception {
    Path a = tmp.resolve("a.csv");
    Path b = tmp.resolve("b.jsonl");
    Files.writeString(a, "id,title\nx,first\ny,Y\nx,second\n");
    Files.writeString(b, "{\"id\":\"y\",\"title\":\"again\"}\n{\"id\":\"z\",\"title\":\"Z\"}\n");
    LoadResult result = load(tmp.resolve("store"), CatalogReadOptions.DEFAULTS, a, b);
    assertEquals(3, result.itemsLoaded());
    assertEquals(Map.of(RejectReason.DUPLICATE_ID, 2L), result.rejected());
    String messages = err.toString(StandardCharsets.UTF_8);
    assertTrue(
        messages.contains(
            a + ":4: id 'x': id already loaded from " + a + ":2 (the first row wins)"),
        messages);
    assertTrue(messages.contains(b + ":1: id 'y': id already loaded from " + a + ":3"), messages);
    String rejects = Files.readString(tmp.resolve("rejects.tsv"));
    assertTrue(rejects.startsWith("source\tline\tfield\treason\tvalue\tmessage\n"), rejects);
    assertEquals(3, rejects.lines().count());
    try (Snapshot s = SnapshotStore.open(tmp.resolve("store")).openCurrent()) {
      assertEquals("first", s.items().title(s.items().ordinalOf("x")));
    }
  }

  @Test
  void refusesToPublishNothingOrMostlyGarbageAndKeepsTheLiveVersion() throws Exception {
    Path store = tmp.resolve("store");
    Path good = tmp.resolve("good.jsonl");
    Files.writeString(good, "{\"id\":\"a\",\"title\":\"A\"}\n");
    load(store, CatalogReadOptions.DEFAULTS, good);
    Path garbage = tmp.resolve("garbage.jsonl");
    Files.writeString(garbage, "not json\nstill not\n{\"id\":\"b\",\"title\":\"B\"}\n");
    LoadRefusedException tooMany =
        assertThrows(
            LoadRefusedException.class, () -> load(store, CatalogReadOptions.DEFAULTS, garbage));
    assertTrue(
        tooMany.getMessage().startsWith("2 of 3 rows rejected (66.7%, the limit is 50.0%)"),
        tooMany.getMessage());
    Path empty = tmp.resolve("empty.jsonl");
    Files.writeString(empty, "\n\n");
    LoadRefusedException none =
        assertThrows(
            LoadRefusedException.class, () -> load(store, CatalogReadOptions.DEFAULTS, empty));
    assertTrue(none.getMessage().startsWith("no valid item in 0 rows"), none.getMessage());
    SnapshotStore s = SnapshotStore.open(store);
    assertEquals(Optional.of("v000001"), s.currentVersion());
    assertEquals(List.of(1), s.versions());
    try (var list = Files.list(store)) {
      assertFalse(
          list.anyMatch(p -> p.getFileName().toString().startsWith(".staging")), "staging removed");
    }
  }

  @Test
  void keepsOnlyTheNewestVersions() throws Exception {
    Path store = tmp.resolve("store");
    Path good = tmp.resolve("good.jsonl");
    Files.writeString(good, "{\"id\":\"a\",\"title\":\"A\"}\n");
    for (int i = 0; i < 5; i++) {
      load(store, CatalogReadOptions.DEFAULTS, good);
    }
    assertEquals(List.of(3, 4, 5), SnapshotStore.open(store).versions());
  }

  @Test
  void eventsBecomeTheBehaviourModelAndHistoriesAndUnknownItemsAreReported() throws Exception {
    Path catalog = tmp.resolve("items.csv");
    Files.writeString(catalog, "id,title\nphone,Phone\ncase,Phone case\ncable,Cable\n");
    Path events = tmp.resolve("events.csv");
    Files.writeString(
        events,
        """
        user_id,item_id,event,timestamp
        u1,phone,purchase,1000
        u1,case,purchase,2000
        u2,phone,view,1000
        u2,ghost,view,1100
        u2,phone,buy,1200
        u2,case,buy,1300
        u3,cable,teleport,1400
        u3,cable,view,1500
        """);
    Path store = tmp.resolve("store");
    LoadRequest request =
        new LoadRequest(
                List.of(CatalogSource.file(catalog)),
                null,
                CatalogReadOptions.DEFAULTS,
                store,
                3,
                0.5,
                null,
                5,
                Progress.Mode.NONE)
            .withEvents(
                List.of(CatalogSource.file(events)), dev.magpie.ingest.events.EventFormat.GENERIC);
    LoadResult result =
        new CatalogLoader(new PrintStream(err, true, StandardCharsets.UTF_8)).load(request);
    assertEquals(6, result.eventsLoaded());
    assertEquals(3, result.users());
    assertEquals(
        Map.of(RejectReason.UNKNOWN_ITEM, 1L, RejectReason.BAD_EVENT_TYPE, 1L),
        result.eventsRejected());
    String messages = err.toString(StandardCharsets.UTF_8);
    assertTrue(
        messages.contains(events + ":5: item_id 'ghost': no item with this id in the catalog"),
        messages);
    try (Snapshot s = SnapshotStore.open(store).openCurrent()) {
      int phone = s.items().ordinalOf("phone");
      int kase = s.items().ordinalOf("case");
      assertEquals(2, s.behaviour().stats().buys(phone));
      assertTrue(s.behaviour().complements().weight(phone, kase) > 0, "phone -> case learned");
      assertEquals(0f, s.behaviour().complements().weight(kase, phone));
      int u2 = s.userHistories().ordinalOf("u2");
      assertEquals(3, s.userHistories().end(u2) - s.userHistories().start(u2));
      assertEquals(kase, s.userHistories().item(s.userHistories().end(u2) - 1));
      assertEquals("6", s.manifest().build().get("eventsLoaded"));
    }
  }

  @Test
  void refusesEventsThatMostlyMissTheCatalog() throws Exception {
    Path catalog = tmp.resolve("items.csv");
    Files.writeString(catalog, "id,title\na,A\n");
    Path events = tmp.resolve("events.csv");
    Files.writeString(
        events, "user_id,item_id,event,timestamp\nu,x,view,1\nu,y,view,2\nu,a,view,3\n");
    LoadRequest request =
        new LoadRequest(
                List.of(CatalogSource.file(catalog)),
                null,
                CatalogReadOptions.DEFAULTS,
                tmp.resolve("s"),
                3,
                0.5,
                null,
                5,
                Progress.Mode.NONE)
            .withEvents(
                List.of(CatalogSource.file(events)), dev.magpie.ingest.events.EventFormat.GENERIC);
    LoadRefusedException e =
        assertThrows(
            LoadRefusedException.class,
            () ->
                new CatalogLoader(new PrintStream(err, true, StandardCharsets.UTF_8))
                    .load(request));
    assertTrue(e.getMessage().startsWith("2 of 3 events rejected"), e.getMessage());
  }
}
