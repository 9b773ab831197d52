package dev.magpie.bench.ann;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magpie.cli.MagpieMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Perturbed real embeddings: one model call per product line, every item near its line, seeded. */
class CatalogEmbedCommandTest {
  @TempDir Path dir;

  @Test
  void productLinesDropTheVariant() {
    assertEquals(
        "Ridgeline Nomad Dome Tent",
        CatalogEmbedCommand.productLine("Ridgeline Nomad Dome Tent - 2-person"));
    assertEquals(
        "Stridewell Surge 5 Trail Running Shoe",
        CatalogEmbedCommand.productLine("Stridewell Surge 5 Trail Running Shoe, Red, Size 10"));
    assertEquals("Camp stove", CatalogEmbedCommand.productLine(" Camp stove "));
  }

  @Test
  void itemsOfOneLineGetNearbyUnitVectorsAndTheSameSeedTheSameFile() throws Exception {
    Path catalog =
        Files.writeString(
            dir.resolve("catalog.jsonl"),
            """
        {"id":"a","title":"Ridgeline Nomad Dome Tent - 2-person"}
        {"id":"b","title":"Ridgeline Nomad Dome Tent - 4-person"}
        {"id":"c","title":"Copperline Espresso 8 Drip Coffee Maker, Black"}
        """);
    Path out = dir.resolve("out.jsonl");
    assertEquals(
        0,
        MagpieMain.commandLine()
            .execute(
                "bench",
                "embed-catalog",
                "--catalog",
                catalog.toString(),
                "--out",
                out.toString(),
                "--noise",
                "0.3"));
    List<float[]> vectors = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(out)) {
      JsonNode item = json.readTree(line);
      float[] v = new float[item.get("vector").size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) item.get("vector").get(i).asDouble();
      }
      vectors.add(v);
    }
    assertEquals(3, vectors.size());
    assertEquals(384, vectors.getFirst().length);
    assertEquals(1.0, dot(vectors.get(0), vectors.get(0)), 1e-3, "unit length");
    double sameLine = dot(vectors.get(0), vectors.get(1));
    double otherLine = dot(vectors.get(0), vectors.get(2));
    assertTrue(
        sameLine > 0.85 && sameLine > otherLine + 0.2,
        "same line " + sameLine + ", other " + otherLine);
    byte[] first = Files.readAllBytes(out);
    Path again = dir.resolve("again.jsonl");
    assertEquals(
        0,
        MagpieMain.commandLine()
            .execute(
                "bench",
                "embed-catalog",
                "--catalog",
                catalog.toString(),
                "--out",
                again.toString(),
                "--noise",
                "0.3"));
    assertTrue(
        java.util.Arrays.equals(first, Files.readAllBytes(again)),
        "same input and seed, same file");
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
