package dev.magpie.bench.ann;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.magpie.engine.embed.MiniLmEmbedder;
import dev.magpie.samples.SampleGenerator;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code magpie bench embed-catalog}: gives every item of a JSONL catalog a vector from perturbed
 * real embeddings, for scale runs where embedding a million titles would take hours. Each item's
 * product line (its title up to the variant the generated catalogs append) is embedded once with
 * the built-in model; the item's vector is that embedding plus seeded Gaussian noise, renormalised.
 * Queries embedded by the same model then land among the right products, so the vector channel does
 * real work at scale. Same input and seed: same file.
 */
@Command(
    name = "embed-catalog",
    mixinStandardHelpOptions = true,
    description =
        "Adds perturbed real embeddings (one model call per product line) to a JSONL catalog.")
public final class CatalogEmbedCommand implements Callable<Integer> {
  private static final int BATCH = 256;

  @Option(
      names = "--catalog",
      required = true,
      paramLabel = "FILE",
      description = "JSONL catalog to read.")
  Path catalog;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "JSONL catalog to write.")
  Path out;

  @Option(
      names = "--noise",
      defaultValue = "0.5",
      description =
          "Expected length of the noise added to each unit"
              + " embedding before renormalising (default ${DEFAULT-VALUE}: a cosine of about 0.9 to the line's).")
  double noise;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Noise seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (noise < 0 || !Double.isFinite(noise)) {
      System.err.println("bench embed-catalog: --noise must be >= 0, got " + noise);
      return 2;
    }
    ObjectMapper json = new ObjectMapper();
    json.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    long start = System.nanoTime();
    LinkedHashSet<String> lines = new LinkedHashSet<>();
    try (BufferedReader in = Files.newBufferedReader(catalog, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          lines.add(productLine(json.readTree(line).path("title").asText("")));
        }
      }
    }
    Map<String, float[]> embedded = new HashMap<>();
    try (MiniLmEmbedder model = new MiniLmEmbedder()) {
      List<String> batch = new ArrayList<>(BATCH);
      for (String text : lines) {
        batch.add(text);
        if (batch.size() == BATCH) {
          embed(model, batch, embedded);
        }
      }
      embed(model, batch, embedded);
    }
    double embedSeconds = (System.nanoTime() - start) / 1e9;
    SplittableRandom random = new SplittableRandom(seed);
    long items = 0;
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    try (BufferedReader in = Files.newBufferedReader(catalog, StandardCharsets.UTF_8);
        BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        ObjectNode item = (ObjectNode) json.readTree(line);
        float[] base = embedded.get(productLine(item.path("title").asText("")));
        float[] vector = noise == 0 ? base : VectorSets.perturbed(base, noise, random);
        ArrayNode values = item.putArray("vector");
        for (float v : vector) {
          values.add(v);
        }
        json.writeValue(writer, item);
        writer.write('\n');
        items++;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "embedded %,d product lines in %.1f s; wrote %,d items with %d-dimension vectors"
            + " (noise %.2f, seed %d) to %s in %.1f s%n",
        lines.size(),
        embedSeconds,
        items,
        embedded.isEmpty() ? 0 : embedded.values().iterator().next().length,
        noise,
        seed,
        out,
        (System.nanoTime() - start) / 1e9);
    return 0;
  }

  /**
   * The title up to its variant (" - 2-person", ", Red, Size 10"), which the generated catalogs
   * append, without what makes a distinct title distinct (" Pro KT-4821").
   */
  static String productLine(String title) {
    title = SampleGenerator.withoutDistinction(title);
    int dash = title.indexOf(" - ");
    int comma = title.indexOf(", ");
    int cut = dash < 0 ? comma : comma < 0 ? dash : Math.min(dash, comma);
    return (cut < 0 ? title : title.substring(0, cut)).strip();
  }

  private static void embed(MiniLmEmbedder model, List<String> batch, Map<String, float[]> into) {
    if (batch.isEmpty()) {
      return;
    }
    List<float[]> vectors = model.embedAll(batch);
    for (int i = 0; i < batch.size(); i++) {
      into.put(batch.get(i), vectors.get(i));
    }
    batch.clear();
  }
}
