package dev.magpie.engine.vector;

import dev.magpie.engine.io.ChecksummedFileWriter.WrittenFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.LongConsumer;

/**
 * Turns full-precision vectors (rows of little-endian floats by ordinal, as the snapshot stores
 * them) into a {@link VectorIndex}'s files: prepares each vector for the similarity, fits the int8
 * quantizer, writes the codes, builds the graph and writes it. Memory while building: the codes and
 * the graph, off-heap, freed when done.
 *
 * @param similarity how vectors compare
 * @param params graph parameters
 * @param threads build threads
 */
public record VectorIndexBuilder(VectorSimilarity similarity, HnswParameters params, int threads) {
  private static final ValueLayout.OfFloat FLOAT =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** Cosine, default graph parameters, every available processor. */
  public static VectorIndexBuilder defaults() {
    return new VectorIndexBuilder(
        VectorSimilarity.COSINE, HnswParameters.DEFAULTS, Runtime.getRuntime().availableProcessors());
  }

  /** What was built, for the manifest. */
  public record Built(List<WrittenFile> files, float scale, int levels, int linked, double seconds) {}

  /**
   * Builds and writes the index into {@code dir}.
   *
   * @param floats {@code count} rows of {@code dim} floats
   * @param hasVector which rows hold a vector (the others are zeros and get no links)
   * @param progress told how many nodes are linked so far
   */
  public Built build(
      Path dir, MemorySegment floats, int count, int dim, IntPredicate hasVector, LongConsumer progress)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    try (Arena arena = Arena.ofShared()) {
      Rows rows = new Rows(floats, dim, similarity);
      // A zero vector has no direction: under cosine it is left out, like a missing one.
      java.util.BitSet present = new java.util.BitSet(count);
      for (int i = 0; i < count; i++) {
        if (hasVector.test(i) && (similarity != VectorSimilarity.COSINE || !rows.isZero(i))) {
          present.set(i);
        }
      }
      int[] ordinals = present.stream().toArray();
      Int8Quantizer quantizer = Int8Quantizer.fit(ordinals.length, dim, j -> rows.row(ordinals[j]));
      MemorySegment codes = arena.allocate(Math.max(1, (long) count * dim), 64);
      for (int i : ordinals) {
        quantizer.quantize(rows.row(i), codes, (long) i * dim);
      }
      Int8Vectors vectors = new Int8Vectors(codes, count, dim, quantizer, similarity);
      HnswGraphBuilder builder = new HnswGraphBuilder(vectors, present::get, params);
      HnswGraph graph = builder.build(arena, threads, progress);
      List<WrittenFile> files = VectorIndex.write(dir, vectors, graph);
      return new Built(files, quantizer.scale(), graph.levels(), builder.linkedNodes(),
          (System.nanoTime() - start) / 1e9);
    }
  }

  /** Rows prepared for the similarity. */
  private record Rows(MemorySegment floats, int dim, VectorSimilarity similarity) {
    float[] row(int i) {
      float[] v = new float[dim];
      MemorySegment.copy(floats, FLOAT, 4L * dim * i, v, 0, dim);
      return similarity.prepare(v);
    }

    boolean isZero(int i) {
      for (int d = 0; d < dim; d++) {
        if (floats.get(FLOAT, 4L * (dim * (long) i + d)) != 0f) {
          return false;
        }
      }
      return true;
    }
  }
}
