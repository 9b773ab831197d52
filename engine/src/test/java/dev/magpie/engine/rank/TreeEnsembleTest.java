package dev.magpie.engine.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.testing.Corruption;
import dev.magpie.engine.testing.Seeded;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Seeded
class TreeEnsembleTest {
  @TempDir Path dir;

  /**
   * A random full tree of {@code depth} levels, nodes numbered breadth first (children after
   * parents).
   */
  static TreeEnsemble.Tree randomTree(Random random, int depth) {
    int n = (1 << (depth + 1)) - 1;
    int[] feature = new int[n];
    float[] threshold = new float[n];
    int[] left = new int[n];
    int[] right = new int[n];
    float[] value = new float[n];
    for (int i = 0; i < n; i++) {
      boolean leaf = 2 * i + 1 >= n;
      feature[i] = leaf ? -1 : random.nextInt(Feature.values().length);
      threshold[i] = leaf ? 0 : random.nextFloat();
      left[i] = leaf ? 0 : 2 * i + 1;
      right[i] = leaf ? 0 : 2 * i + 2;
      value[i] = (float) random.nextGaussian();
    }
    return new TreeEnsemble.Tree(feature, threshold, left, right, value);
  }

  /** The oracle: walk one tree by the definition. */
  private static float walk(TreeEnsemble.Tree tree, float[] x) {
    int n = 0;
    while (tree.feature()[n] >= 0) {
      n = x[tree.feature()[n]] <= tree.threshold()[n] ? tree.left()[n] : tree.right()[n];
    }
    return tree.value()[n];
  }

  private static float[] randomFeatures(Random random) {
    float[] x = new float[Feature.values().length];
    for (int f = 0; f < x.length; f++) {
      x[f] = random.nextFloat();
    }
    return x;
  }

  @Test
  void scoresSumTheLeavesAndContributionsExplainEveryScore(Random random) {
    List<TreeEnsemble.Tree> trees = new ArrayList<>();
    for (int t = 0; t < 1 + random.nextInt(30); t++) {
      trees.add(
          random.nextInt(5) == 0
              ? TreeEnsemble.Tree.leaf((float) random.nextGaussian())
              : randomTree(random, 1 + random.nextInt(4)));
    }
    TreeEnsemble ensemble = new TreeEnsemble(trees);
    for (int i = 0; i < 200; i++) {
      float[] x = randomFeatures(random);
      float expected = 0;
      for (TreeEnsemble.Tree tree : trees) {
        expected += walk(tree, x);
      }
      assertEquals(expected, ensemble.score(x), 1e-4);
      float[] parts = new float[x.length];
      ensemble.contributions(x, parts);
      float sum = ensemble.bias();
      for (float p : parts) {
        sum += p;
      }
      assertEquals(expected, sum, 1e-3);
    }
  }

  @Test
  void aModelWithTreesReadsBackAndExplainsItsScores(Random random) throws IOException {
    List<TreeEnsemble.Tree> trees = new ArrayList<>();
    for (int t = 0; t < 20; t++) {
      trees.add(randomTree(random, 3));
    }
    RankingModel model =
        new RankingModel(
            "boosted", Map.of(Feature.RELEVANCE, 2f, Feature.TEXT, -0.5f), new TreeEnsemble(trees));
    Path file = dir.resolve("m.bin");
    model.write(file);
    RankingModel read = RankingModel.read(file);
    assertEquals(model.weights(), read.weights());
    assertEquals(20, read.trees().size());
    for (int i = 0; i < 100; i++) {
      float[] x = randomFeatures(random);
      assertEquals(model.score(x), read.score(x), 1e-6);
      float sum = read.bias();
      for (float p : read.parts(x).values()) {
        sum += p;
      }
      assertEquals(read.score(x), sum, 1e-3);
    }
  }

  @Test
  void aDamagedTreeFileIsRefused(Random random) throws IOException {
    Path file = dir.resolve("m.bin");
    new RankingModel("boosted", Map.of(), new TreeEnsemble(List.of(randomTree(random, 4))))
        .write(file);
    Corruption.flipBit(
        file, 64 + random.nextInt((int) Files.size(file) - 64 - 48), random.nextInt(8));
    assertThrows(CorruptFileException.class, () -> RankingModel.read(file));
  }

  @Test
  void aTreeWhoseChildPointsBackIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new TreeEnsemble.Tree(
                    new int[] {0, -1, -1},
                    new float[3],
                    new int[] {0, 0, 0},
                    new int[] {2, 0, 0},
                    new float[3]));
    assertEquals("node 0 has children 0, 2 of 3", e.getMessage());
  }
}
