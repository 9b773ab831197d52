package dev.magpie.ingest.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.catalog.RejectReason;
import dev.magpie.engine.catalog.Rejection;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetCatalogReaderTest {
  @TempDir Path tmp;
  private final CollectingSink sink = new CollectingSink();
  private final List<Item> items = sink.items;
  private final List<Rejection> rejections = sink.rejections;

  private Path writeParquet(String select) throws SQLException {
    Path file = tmp.resolve("catalog.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("COPY (" + select + ") TO '" + file + "' (FORMAT parquet)");
    }
    return file;
  }

  @Test
  void readsTypedColumnsAndRejectsBadRowsByRowNumber() throws Exception {
    Path file =
        writeParquet(
            """
        SELECT * FROM (VALUES
          ('p1', 'Trail Shoe &amp; Co', 89.99::DECIMAL(10,2), 'USD', 5, ['Sports', 'Footwear'],
           [0.5, 0.25, 0.125]::FLOAT[], MAP {'size': '10'}, 'blue', 19.99::DOUBLE),
          ('p2', 'Negative', -1.00::DECIMAL(10,2), 'USD', 1, ['A'], NULL, NULL, NULL, 1.0::DOUBLE),
          (NULL, 'No id', 1.00::DECIMAL(10,2), 'USD', 1, ['A'], NULL, NULL, NULL, 1.0::DOUBLE),
          ('p4', 'Short vector', 2.50::DECIMAL(10,2), 'EUR', 0, ['A', 'B'], [1.0, 2.0]::FLOAT[], NULL, NULL, 1.0::DOUBLE),
          ('p5', 'Fine', 3.00::DECIMAL(10,2), NULL, NULL, NULL, NULL, NULL, NULL, 2.5::DOUBLE)
        ) t(id, title, price, currency, stock, category, vector, attributes, colour, weight)""");
    CatalogReader reader =
        CatalogReader.forFormat(CatalogFormat.fromFileName(file), CatalogReadOptions.DEFAULTS);
    reader.read(CatalogSource.file(file), sink);
    assertEquals(List.of("p1", "p5"), items.stream().map(Item::externalId).toList());
    Item p1 = items.getFirst();
    assertEquals("Trail Shoe & Co", p1.title());
    assertEquals(8999, p1.priceMinor());
    assertEquals("Sports > Footwear", p1.categoryPath());
    assertArrayEquals(new float[] {0.5f, 0.25f, 0.125f}, p1.vector());
    assertEquals(Map.of("size", "10", "colour", "blue", "weight", "19.99"), p1.attributes());
    assertEquals(300, items.get(1).priceMinor());
    assertEquals(List.of(2L, 3L, 4L), rejections.stream().map(Rejection::line).toList());
    assertEquals(
        List.of(RejectReason.BAD_PRICE, RejectReason.MISSING_ID, RejectReason.BAD_VECTOR),
        rejections.stream().map(Rejection::reason).toList());
    assertTrue(
        rejections.get(2).toString().startsWith(file + ":4: vector"), rejections.get(2).toString());
  }

  @Test
  void aTruncatedFileFailsTheLoadNamingIt() throws Exception {
    Path file = writeParquet("SELECT 'a' AS id, 'A' AS title FROM range(1000)");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                new ParquetCatalogReader(CatalogReadOptions.DEFAULTS)
                    .read(CatalogSource.file(file), sink));
    assertTrue(e.getMessage().startsWith(file + ": cannot read Parquet"), e.getMessage());
    IOException stream =
        assertThrows(
            IOException.class,
            () ->
                new ParquetCatalogReader(CatalogReadOptions.DEFAULTS)
                    .read(
                        CatalogSource.stream("stdin", -1, () -> Files.newInputStream(file)), sink));
    assertTrue(stream.getMessage().contains("read from a file, not a stream"), stream.getMessage());
  }
}
