package dev.magpie.bench.ann;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code magpie bench vectors}: writes a benchmark vector set ({@link VectorFile}) from a
 * snapshot's item vectors, as they are or grown to any size by seeded perturbation: row {@code i}
 * is item {@code i mod n} plus Gaussian noise, renormalised. The same seed gives the same file.
 */
@Command(
    name = "vectors",
    mixinStandardHelpOptions = true,
    description =
        "Writes a vector set for bench ann: a snapshot's vectors, or N perturbed copies of them.")
public final class VectorSetCommand implements Callable<Integer> {
  @Option(
      names = "--snapshot",
      required = true,
      paramLabel = "DIR",
      description = "Snapshot store (or version directory) with item vectors.")
  Path snapshot;

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "Rows to write (default: one per item vector).")
  Integer count;

  @Option(
      names = "--noise",
      defaultValue = "0",
      description =
          "Expected length of the noise added to each unit vector before renormalising"
              + " (default ${DEFAULT-VALUE}: the vectors as they are; 0.5 keeps a cosine of about 0.9 to the original).")
  double noise;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Noise seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "The vector file to write.")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (noise < 0 || !Double.isFinite(noise)) {
      System.err.println("bench vectors: --noise must be >= 0, got " + noise);
      return 2;
    }
    float[][] base = VectorSets.fromSnapshot(snapshot);
    int rows = count == null ? base.length : count;
    if (rows < 1) {
      System.err.println("bench vectors: --count must be positive, got " + rows);
      return 2;
    }
    if (rows > base.length && noise == 0) {
      System.err.println(
          "bench vectors: "
              + rows
              + " rows from "
              + base.length
              + " vectors would repeat them exactly; give --noise");
      return 2;
    }
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    long start = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    VectorFile.write(
        out,
        rows,
        base[0].length,
        i -> noise == 0 ? base[i] : VectorSets.perturbed(base[i % base.length], noise, random));
    System.out.printf(
        Locale.ROOT,
        "wrote %,d vectors of %d dimensions (from %,d, noise %.3f, seed %d) to %s" + " in %.1f s%n",
        rows,
        base[0].length,
        base.length,
        noise,
        seed,
        out,
        (System.nanoTime() - start) / 1e9);
    return 0;
  }
}
