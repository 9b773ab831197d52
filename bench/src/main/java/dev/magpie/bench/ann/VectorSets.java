package dev.magpie.bench.ann;

import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.snapshot.SnapshotStore;
import dev.magpie.engine.vector.VectorSimilarity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where benchmark vectors come from: a snapshot's item vectors, and seeded perturbations of them.
 */
final class VectorSets {
  private VectorSets() {}

  /**
   * The non-zero item vectors of the snapshot at {@code dir} (a store or one version directory),
   * unit length, in ordinal order.
   *
   * @throws IllegalArgumentException if the snapshot has no vectors
   */
  static float[][] fromSnapshot(Path dir) throws IOException {
    try (Snapshot snap =
        Files.exists(dir.resolve("manifest.json"))
            ? Snapshot.open(dir)
            : SnapshotStore.open(dir).openCurrent()) {
      if (snap.items().vectorDimension() == 0) {
        throw new IllegalArgumentException(dir + " has no vectors (load it without --no-embed)");
      }
      List<float[]> rows = new ArrayList<>();
      for (int i = 0; i < snap.items().size(); i++) {
        if (snap.items().hasVector(i)) {
          float[] v = snap.items().vector(i);
          if (!isZero(v)) {
            rows.add(VectorSimilarity.COSINE.prepare(v));
          }
        }
      }
      return rows.toArray(float[][]::new);
    }
  }

  /**
   * {@code base} plus Gaussian noise whose expected length is {@code noise} (each element gets
   * sigma {@code noise / sqrt(dim)}), renormalised to unit length.
   */
  static float[] perturbed(float[] base, double noise, SplittableRandom random) {
    float[] v = new float[base.length];
    double sigma = noise / Math.sqrt(base.length);
    for (int d = 0; d < v.length; d++) {
      v[d] = base[d] + (float) (sigma * gaussian(random));
    }
    return VectorSimilarity.COSINE.prepare(v);
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  private static boolean isZero(float[] v) {
    for (float x : v) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
