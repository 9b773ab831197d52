package dev.magpie.ingest.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.catalog.CatalogLimits;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.catalog.RejectReason;
import dev.magpie.engine.catalog.Rejection;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every kind of bad row is reported precisely and skipped; the rows around it load. */
class CatalogReaderTest {
  private final CollectingSink sink = new CollectingSink();
  private final List<Item> items = sink.items;
  private final List<Rejection> rejections = sink.rejections;
  private final List<Long> lines = sink.lines;

  private void read(CatalogFormat format, CatalogReadOptions options, byte[] bytes)
      throws IOException {
    CatalogReader.forFormat(format, options)
        .read(
            CatalogSource.stream(
                "cat." + format, bytes.length, () -> new ByteArrayInputStream(bytes)),
            sink);
  }

  private void read(CatalogFormat format, String text) throws IOException {
    read(format, CatalogReadOptions.DEFAULTS, text.getBytes(StandardCharsets.UTF_8));
  }

  private Rejection onlyRejection(RejectReason reason, long line, String field) {
    assertEquals(1, rejections.size(), rejections.toString());
    Rejection r = rejections.getFirst();
    assertEquals(reason, r.reason(), r.toString());
    assertEquals(line, r.line(), r.toString());
    assertEquals(field, r.field(), r.toString());
    assertTrue(r.source().startsWith("cat."), r.toString());
    return r;
  }

  private void assertLoadedIds(String... ids) {
    assertEquals(List.of(ids), items.stream().map(Item::externalId).toList());
  }

  @Test
  void missingId() throws IOException {
    read(
        CatalogFormat.JSONL,
        """
        {"id":"a","title":"A"}
        {"title":"no id"}
        {"id":"  ","title":"blank id"}
        {"id":"c","title":"C"}
        """);
    assertLoadedIds("a", "c");
    assertEquals(2, rejections.size());
    assertEquals(RejectReason.MISSING_ID, rejections.get(0).reason());
    assertEquals(2, rejections.get(0).line());
    assertEquals(3, rejections.get(1).line());
    assertEquals("  ", rejections.get(1).value());
  }

  @Test
  void nonNumericAndNegativePrice() throws IOException {
    read(
        CatalogFormat.JSONL,
        """
        {"id":"a","title":"A","price":"12.5O"}
        {"id":"b","title":"B","price":-3}
        {"id":"c","title":"C","price":19.99}
        """);
    assertLoadedIds("c");
    assertEquals(1999, items.getFirst().priceMinor());
    assertEquals("12.5O", rejections.get(0).value());
    assertEquals("price is not a decimal number", rejections.get(0).message());
    assertEquals("-3", rejections.get(1).value());
    assertEquals("price is negative", rejections.get(1).message());
    assertTrue(
        rejections.stream()
            .allMatch(r -> r.reason() == RejectReason.BAD_PRICE && r.field().equals("price")));
    assertEquals(
        "cat.JSONL:1: price '12.5O': price is not a decimal number [BAD_PRICE]",
        rejections.get(0).toString());
  }

  @Test
  void negativeStock() throws IOException {
    read(
        CatalogFormat.CSV,
        """
        id,title,stock
        a,A,5
        b,B,-2
        """);
    assertLoadedIds("a");
    Rejection r = onlyRejection(RejectReason.BAD_STOCK, 3, "stock");
    assertEquals("-2", r.value());
  }

  @Test
  void invalidUtf8() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes("{\"id\":\"a\",\"title\":\"caf\u00e9\"}\n".getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes("{\"id\":\"b\",\"title\":\"bad ".getBytes(StandardCharsets.UTF_8));
    bytes.write(0xC3);
    bytes.write(0x28);
    bytes.writeBytes("\"}\n{\"id\":\"c\",\"title\":\"C\"}\n".getBytes(StandardCharsets.UTF_8));
    read(CatalogFormat.JSONL, CatalogReadOptions.DEFAULTS, bytes.toByteArray());
    assertLoadedIds("a", "c");
    assertEquals("café", items.getFirst().title());
    Rejection r = onlyRejection(RejectReason.INVALID_UTF8, 2, "row");
    assertEquals("invalid UTF-8 at byte 23 of the row", r.message());
    assertEquals("0xC3", r.value());
  }

  @Test
  void fieldOverItsSizeLimit() throws IOException {
    String longTitle = "x".repeat(CatalogLimits.MAX_TITLE_BYTES + 1);
    IOException noHeader =
        org.junit.jupiter.api.Assertions.assertThrows(
            IOException.class, () -> read(CatalogFormat.TSV, "a\tfine\nb\tx\n"));
    assertTrue(noHeader.getMessage().contains("name no id column"), noHeader.getMessage());
    assertTrue(noHeader.getMessage().contains("give --columns"), noHeader.getMessage());
    read(
        CatalogFormat.TSV,
        CatalogReadOptions.DEFAULTS.withColumns(List.of("id", "title")),
        ("a\tfine\nb\t" + longTitle + "\nc\tfine too\n").getBytes(StandardCharsets.UTF_8));
    assertLoadedIds("a", "c");
    Rejection r = onlyRejection(RejectReason.FIELD_TOO_LONG, 2, "title");
    assertEquals("title is 2049 bytes of UTF-8, the limit is 2048", r.message());
    assertTrue(r.value().endsWith("... (2049 chars)"), r.value());
  }

  @Test
  void recordOverTheRowLimitIsSkippedWithoutBuffering() throws IOException {
    String huge = "{\"id\":\"b\",\"title\":\"" + "y".repeat(CatalogLimits.MAX_RECORD_BYTES) + "\"}";
    read(
        CatalogFormat.JSONL,
        "{\"id\":\"a\",\"title\":\"A\"}\n" + huge + "\n{\"id\":\"c\",\"title\":\"C\"}\n");
    assertLoadedIds("a", "c");
    Rejection r = onlyRejection(RejectReason.FIELD_TOO_LONG, 2, "row");
    assertTrue(r.message().startsWith("row is " + huge.length() + " bytes"), r.message());
  }

  @Test
  void vectorOfTheWrongDimension() throws IOException {
    read(
        CatalogFormat.JSONL,
        """
        {"id":"a","title":"A","vector":[0.1,0.2,0.3]}
        {"id":"b","title":"B","vector":[0.1,0.2]}
        {"id":"c","title":"C"}
        {"id":"d","title":"D","vector":[1,2,3]}
        {"id":"e","title":"E","vector":[1,"x",3]}
        """);
    assertLoadedIds("a", "c", "d");
    assertEquals(2, rejections.size());
    assertEquals("vector dimension 2, expected 3", rejections.get(0).message());
    assertEquals(2, rejections.get(0).line());
    assertEquals(RejectReason.BAD_VECTOR, rejections.get(1).reason());
    assertNull(items.get(1).vector());
  }

  @Test
  void declaredVectorDimensionAppliesFromTheFirstRow() throws IOException {
    read(
        CatalogFormat.JSONL,
        new CatalogReadOptions("USD", true, 2, null, false, 0),
        "{\"id\":\"a\",\"title\":\"A\",\"vector\":[0.1,0.2,0.3]}\n"
            .getBytes(StandardCharsets.UTF_8));
    onlyRejection(RejectReason.BAD_VECTOR, 1, "vector");
  }

  @Test
  void truncatedLastLine() throws IOException {
    read(
        CatalogFormat.JSONL,
        "{\"id\":\"a\",\"title\":\"A\"}\n{\"id\":\"b\",\"title\":\"B\"}\n{\"id\":\"c\",\"ti");
    assertLoadedIds("a", "b");
    Rejection r = onlyRejection(RejectReason.TRUNCATED, 3, "row");
    assertTrue(
        r.message()
            .startsWith(
                "the last line has no newline and cannot be parsed, the file looks truncated"),
        r.message());
  }

  @Test
  void truncatedLastCsvRowAndUnclosedQuote() throws IOException {
    read(CatalogFormat.CSV, "id,title,price\na,A,1.00\nb,\"B unfinished");
    assertLoadedIds("a");
    onlyRejection(RejectReason.TRUNCATED, 3, "row");
    sink.clear();
    read(CatalogFormat.CSV, "id,title,price\na,A,1.00\nb,B");
    onlyRejection(RejectReason.TRUNCATED, 3, "row");
  }

  @Test
  void lastLineWithoutNewlineLoadsWhenComplete() throws IOException {
    read(CatalogFormat.JSONL, "{\"id\":\"a\",\"title\":\"A\"}\r\n{\"id\":\"b\",\"title\":\"B\"}");
    assertLoadedIds("a", "b");
    assertEquals(List.of(1L, 2L), lines);
    assertTrue(rejections.isEmpty());
  }

  @Test
  void malformedJsonAndWrongColumnCountNameTheLine() throws IOException {
    read(
        CatalogFormat.JSONL,
        "{\"id\":\"a\",\"title\":\"A\"}\n[1,2]\n{\"id\":\"b\" \"title\":\"B\"}\n\n{\"id\":\"c\",\"title\":\"C\"} x\n");
    assertEquals(3, rejections.size());
    assertEquals(List.of(2L, 3L, 5L), rejections.stream().map(Rejection::line).toList());
    assertTrue(rejections.stream().allMatch(r -> r.reason() == RejectReason.MALFORMED));
    sink.clear();
    read(CatalogFormat.CSV, "id,title\na,A\nb,B,extra\n");
    Rejection r = onlyRejection(RejectReason.MALFORMED, 3, "row");
    assertEquals("row has 3 columns, expected 2", r.message());
  }

  @Test
  void csvQuotingSpansLinesAndTsvKeepsQuotes() throws IOException {
    read(
        CatalogFormat.CSV,
        "id,title,description,color\n"
            + "a,\"Knife, 8\"\" chef\",\"line one\nline two\",red\n"
            + "b,Plain,,\n");
    assertLoadedIds("a", "b");
    assertEquals("Knife, 8\" chef", items.get(0).title());
    assertEquals("line one\nline two", items.get(0).description());
    assertEquals("red", items.get(0).attributes().get("color"));
    assertTrue(items.get(1).attributes().isEmpty());
    assertEquals(List.of(2L, 4L), lines);
    sink.clear();
    read(
        CatalogFormat.TSV,
        CatalogReadOptions.DEFAULTS.withColumns(List.of("id", "title")),
        "100001\tSimpson 12-Gauge \"Angle\" 1/2 in. &amp; more &#39;x&#39;\n"
            .getBytes(StandardCharsets.UTF_8));
    assertEquals("Simpson 12-Gauge \"Angle\" 1/2 in. & more 'x'", items.getFirst().title());
  }

  @Test
  void jsonFieldsAliasesAndUnknownScalarsBecomeAttributes() throws IOException {
    read(
        CatalogFormat.JSONL,
        """
        {"sku":123,"name":"Mug","category":["Home","Kitchen"],"price_minor":450,"currency":"eur","stock":"7","rating":"4","color":"blue","tags":["x"],"attributes":{"size":"L","dishwasher safe":true}}
        """);
    Item item = items.getFirst();
    assertEquals("123", item.externalId());
    assertEquals("Mug", item.title());
    assertEquals("Home > Kitchen", item.categoryPath());
    assertEquals(450, item.priceMinor());
    assertEquals("EUR", item.currency());
    assertEquals(7, item.stock());
    assertEquals(4f, item.rating());
    assertEquals("blue", item.attributes().get("color"));
    assertEquals("true", item.attributes().get("dishwasher safe"));
    assertEquals(3, item.attributes().size());
  }

  @Test
  void utf8ByteOrderMarkIsIgnored() throws IOException {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(bom);
    bytes.writeBytes("id,title\na,A\n".getBytes(StandardCharsets.UTF_8));
    read(CatalogFormat.CSV, CatalogReadOptions.DEFAULTS, bytes.toByteArray());
    assertLoadedIds("a");
  }
}
