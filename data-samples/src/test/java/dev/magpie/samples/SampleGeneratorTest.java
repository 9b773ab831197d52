package dev.magpie.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleGeneratorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static byte[] bundled(String name) throws IOException {
    try (InputStream in = SampleData.open(name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void bundledFilesAreWhatTheGeneratorMakesFromItsSeed() throws IOException {
    SampleGenerator.defaults().writeAll(tmp);
    for (String name :
        List.of(
            SampleData.CATALOG,
            SampleData.EVENTS,
            SampleData.KNOWLEDGE,
            SampleData.QUERIES,
            SampleData.QRELS)) {
      assertArrayEquals(
          Files.readAllBytes(tmp.resolve(name)),
          bundled(name),
          name
              + " differs from the generator's output: regenerate with"
              + " java dev.magpie.samples.SampleGenerator --out data-samples/sample");
    }
  }

  @Test
  void catalogIsASmallRealisticCatalog() throws IOException {
    String[] lines = new String(bundled(SampleData.CATALOG), StandardCharsets.UTF_8).split("\n");
    assertTrue(lines.length >= 2000 && lines.length <= 5000, lines.length + " items");
    Set<String> ids = new HashSet<>();
    Set<String> categories = new HashSet<>();
    Set<String> brands = new HashSet<>();
    int outOfStock = 0;
    for (String line : lines) {
      JsonNode item = JSON.readTree(line);
      assertTrue(ids.add(item.get("id").asText()), "unique id " + item.get("id"));
      categories.add(item.get("category").asText());
      brands.add(item.get("brand").asText());
      assertTrue(item.get("price").asDouble() > 0);
      assertTrue(item.get("description").asText().length() > 20);
      assertTrue(item.get("attributes").size() >= 2);
      if (item.get("stock").asInt() == 0) {
        outOfStock++;
      }
    }
    assertTrue(
        categories.size() >= 18 && categories.size() <= 25, categories.size() + " categories");
    assertTrue(brands.size() >= 30, brands.size() + " brands");
    assertTrue(outOfStock > 0 && outOfStock < lines.length / 5, outOfStock + " out of stock");

    JsonNode knowledge = JSON.readTree(bundled(SampleData.KNOWLEDGE));
    for (JsonNode relation : knowledge.get("relations")) {
      assertTrue(categories.contains(relation.get("from").asText()), relation.toString());
      assertTrue(categories.contains(relation.get("to").asText()), relation.toString());
    }

    String[] events = new String(bundled(SampleData.EVENTS), StandardCharsets.UTF_8).split("\n");
    assertEquals("user_id,item_id,event,timestamp", events[0]);
    assertTrue(events.length > 5000, events.length + " events");
    long previous = 0;
    for (int i = 1; i < events.length; i++) {
      String[] f = events[i].split(",");
      assertTrue(ids.contains(f[1]), "event item " + f[1]);
      assertTrue(Set.of("view", "cart", "purchase").contains(f[2]), f[2]);
      long time = Long.parseLong(f[3]);
      assertTrue(time >= previous, "timestamps ascend at line " + (i + 1));
      previous = time;
    }
  }

  @Test
  void judgedQueriesReferToCatalogItemsWithGradedRatings() throws IOException {
    Set<String> ids = new HashSet<>();
    for (String line :
        new String(bundled(SampleData.CATALOG), StandardCharsets.UTF_8).split("\n")) {
      ids.add(JSON.readTree(line).get("id").asText());
    }
    String[] queries = new String(bundled(SampleData.QUERIES), StandardCharsets.UTF_8).split("\n");
    assertEquals(SampleGenerator.JUDGED_QUERIES, queries.length);
    Set<String> queryIds = new HashSet<>();
    for (String q : queries) {
      String[] f = q.split("\t");
      assertEquals(2, f.length, q);
      assertTrue(queryIds.add(f[0]), "unique query id " + f[0]);
    }
    int exact = 0;
    for (String line : new String(bundled(SampleData.QRELS), StandardCharsets.UTF_8).split("\n")) {
      String[] f = line.split("\t");
      assertTrue(queryIds.contains(f[0]) && ids.contains(f[1]), line);
      assertTrue(Set.of("1", "2", "3").contains(f[2]), line);
      exact += f[2].equals("3") ? 1 : 0;
    }
    assertTrue(exact >= SampleGenerator.JUDGED_QUERIES, exact + " exact judgements");
  }

  @Test
  void largerCatalogsWithVectorsAreDeterministic() throws IOException {
    SampleGenerator a = new SampleGenerator(7, 500, 0, 16);
    SampleGenerator b = new SampleGenerator(7, 500, 0, 16);
    a.writeAll(tmp.resolve("a"));
    b.writeAll(tmp.resolve("b"));
    byte[] catalog = Files.readAllBytes(tmp.resolve("a").resolve(SampleData.CATALOG));
    assertArrayEquals(catalog, Files.readAllBytes(tmp.resolve("b").resolve(SampleData.CATALOG)));
    JsonNode first = JSON.readTree(new String(catalog, StandardCharsets.UTF_8).split("\n")[0]);
    assertEquals(16, first.get("vector").size());
    double norm = 0;
    for (JsonNode x : first.get("vector")) {
      norm += x.asDouble() * x.asDouble();
    }
    assertEquals(1.0, norm, 1e-3);
  }

  @Test
  void distinctTitlesNeverRepeatAndChangeNothingElse() throws IOException {
    new SampleGenerator(11, 20_000, 0, 0).writeAll(tmp.resolve("plain"));
    new SampleGenerator(11, 20_000, 0, 0).distinctTitles(true).writeAll(tmp.resolve("distinct"));
    List<String> plain = Files.readAllLines(tmp.resolve("plain").resolve(SampleData.CATALOG));
    List<String> distinct = Files.readAllLines(tmp.resolve("distinct").resolve(SampleData.CATALOG));
    assertEquals(plain.size(), distinct.size());
    Set<String> plainTitles = new HashSet<>();
    Set<String> distinctTitles = new HashSet<>();
    for (int i = 0; i < plain.size(); i++) {
      ObjectNode a = (ObjectNode) JSON.readTree(plain.get(i));
      ObjectNode b = (ObjectNode) JSON.readTree(distinct.get(i));
      plainTitles.add(a.get("title").asText());
      assertTrue(distinctTitles.add(b.get("title").asText()), "repeated: " + b.get("title"));
      assertEquals(
          withoutModifiers(a.get("title").asText()),
          withoutModifiers(SampleGenerator.withoutDistinction(b.get("title").asText())),
          "the distinction taken out again: " + b.get("title"));
      a.remove("title");
      b.remove("title");
      assertEquals(a, b, "item " + i + " apart from its title");
    }
    assertTrue(
        plainTitles.size() < plain.size() * 0.9,
        "the plain generator repeats titles at this size: " + plainTitles.size());
  }

  private static String withoutModifiers(String title) {
    for (String modifier : SampleGenerator.MODIFIERS) {
      title = title.replace(" " + modifier + " ", " ");
    }
    return title;
  }

  @Test
  void fixedDecimalFormatting() {
    assertEquals("0.1235", SampleGenerator.fixed4(0.12345f));
    assertEquals("-0.0500", SampleGenerator.fixed4(-0.05f));
    assertEquals("1.0000", SampleGenerator.fixed4(1f));
    assertEquals("0.0000", SampleGenerator.fixed4(0f));
  }
}
