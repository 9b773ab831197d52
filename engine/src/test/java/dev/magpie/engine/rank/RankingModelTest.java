package dev.magpie.engine.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.testing.Corruption;
import dev.magpie.engine.testing.Seeded;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Seeded
class RankingModelTest {
  @TempDir Path dir;

  private static RankingModel random(Random random) {
    Map<Feature, Float> weights = new EnumMap<>(Feature.class);
    for (Feature f : Feature.values()) {
      if (random.nextBoolean()) {
        weights.put(f, (float) random.nextGaussian());
      }
    }
    return new RankingModel("model " + random.nextInt(), weights);
  }

  @Test
  void aWrittenModelReadsBackWithEveryWeightAndScoresTheSame(Random random) throws IOException {
    RankingModel model = random(random);
    Path file = dir.resolve("m.bin");
    model.write(file);
    RankingModel read = RankingModel.read(file);
    assertEquals(model.name(), read.name());
    assertEquals(model.weights(), read.weights());
    float[] features = new float[Feature.values().length];
    float expected = 0;
    for (Feature f : Feature.values()) {
      features[f.ordinal()] = random.nextFloat();
      expected += model.weight(f) * features[f.ordinal()];
    }
    assertEquals(expected, read.score(features), 1e-5);
  }

  @Test
  void aDamagedFileIsRefused(Random random) throws IOException {
    Path file = dir.resolve("m.bin");
    random(random).with("x", Feature.TEXT, 1f).write(file);
    Corruption.flipBit(
        file, 64 + random.nextInt((int) Files.size(file) - 64 - 48), random.nextInt(8));
    assertThrows(CorruptFileException.class, () -> RankingModel.read(file));
  }

  @Test
  void nonFiniteWeightsAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new RankingModel("bad", Map.of(Feature.TEXT, Float.NaN)));
    assertEquals("weight of TEXT must be finite, got NaN", e.getMessage());
  }
}
