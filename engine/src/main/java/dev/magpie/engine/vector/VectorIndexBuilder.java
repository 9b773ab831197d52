package dev.magpie.engine.vector;

import dev.magpie.engine.io.ChecksummedFileWriter.WrittenFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.LongConsumer;

/**
 * Turns full-precision vectors (rows of little-endian floats by ordinal, as the snapshot stores
 * them) into a {@link VectorIndex}'s files: prepares each vector for the similarity, fits the int8
 * quantizer, writes the codes, builds the graph and the binary codes ({@link BinaryVectors}) and
 * writes them. Memory while building: the codes and the graph, off-heap, freed when done.
 *
 * @param similarity how vectors compare
 * @param params graph parameters
 * @param threads build threads
 * @param quantizerScale the int8 quantizer's scale, or 0 to fit it to the vectors built: a shard of
 *     a catalog takes the scale fitted to the whole catalog, so that every shard codes alike
 */
public record VectorIndexBuilder(
    VectorSimilarity similarity, HnswParameters params, int threads, float quantizerScale) {
  /** A builder that fits the quantizer to the vectors it builds. */
  public VectorIndexBuilder(VectorSimilarity similarity, HnswParameters params, int threads) {
    this(similarity, params, threads, 0f);
  }

  /** This builder, quantizing with {@code scale} instead of fitting one. */
  public VectorIndexBuilder withQuantizerScale(float scale) {
    if (!(scale > 0) || Float.isInfinite(scale)) {
      throw new IllegalArgumentException(
          "quantizer scale must be positive and finite, got " + scale);
    }
    return new VectorIndexBuilder(similarity, params, threads, scale);
  }

  private static final ValueLayout.OfFloat FLOAT =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** Cosine, default graph parameters, every available processor. */
  public static VectorIndexBuilder defaults() {
    return new VectorIndexBuilder(
        VectorSimilarity.COSINE,
        HnswParameters.DEFAULTS,
        Runtime.getRuntime().availableProcessors());
  }

  /** What was built, for the manifest. */
  public record Built(
      List<WrittenFile> files, float scale, int levels, int linked, double seconds) {}

  /**
   * Builds the index and writes it into {@code dir}; the memory it was built in is freed.
   *
   * @param floats {@code count} rows of {@code dim} floats
   * @param hasVector which rows hold a vector (the others are zeros and get no links)
   * @param progress told how many nodes are linked so far
   */
  public Built build(
      Path dir,
      MemorySegment floats,
      int count,
      int dim,
      IntPredicate hasVector,
      LongConsumer progress)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    try (Arena arena = Arena.ofShared()) {
      VectorIndex index = build(arena, floats, count, dim, hasVector, progress);
      List<WrittenFile> files = index.write(dir);
      return new Built(
          files,
          index.vectors().quantizer().scale(),
          index.graph().levels(),
          index.linked(),
          (System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * Builds the index in memory owned by {@code arena} (a shared one when building on more than one
   * thread) from {@code floats}; it rescores from its codes ({@link
   * VectorIndex#rescoring(VectorIndex.Rescoring)} gives a view rescoring with the floats; a
   * snapshot opened from the files written reads them from disk).
   */
  public VectorIndex build(
      Arena arena,
      MemorySegment floats,
      int count,
      int dim,
      IntPredicate hasVector,
      LongConsumer progress)
      throws InterruptedException {
    Rows rows = new Rows(floats, dim, similarity);
    // A zero vector has no direction: under cosine it is left out, like a missing one.
    BitSet present = new BitSet(count);
    for (int i = 0; i < count; i++) {
      if (hasVector.test(i) && (similarity != VectorSimilarity.COSINE || !rows.isZero(i))) {
        present.set(i);
      }
    }
    int[] ordinals = present.stream().toArray();
    Int8Quantizer quantizer =
        quantizerScale > 0
            ? new Int8Quantizer(quantizerScale)
            : Int8Quantizer.fit(ordinals.length, dim, j -> rows.row(ordinals[j]));
    MemorySegment codes = arena.allocate(Math.max(1, (long) count * dim), 64);
    for (int i : ordinals) {
      quantizer.quantize(rows.row(i), codes, (long) i * dim);
    }
    Int8Vectors vectors = new Int8Vectors(codes, count, dim, quantizer, similarity);
    HnswGraph graph =
        new HnswGraphBuilder(vectors, present::get, params).build(arena, threads, progress);
    BinaryVectors bits = BinaryVectors.encode(arena, count, dim, rows::row, present::get);
    return new VectorIndex(
        vectors,
        bits,
        false,
        graph,
        present::get,
        floats,
        VectorIndex.Rescoring.CORRECTED_CODES,
        null);
  }

  /** {@code vectors} laid out as {@link #build} reads them, in memory owned by {@code arena}. */
  public static MemorySegment rows(Arena arena, float[][] vectors) {
    int dim = vectors.length == 0 ? 0 : vectors[0].length;
    MemorySegment out = arena.allocate(Math.max(1, 4L * vectors.length * dim), 64);
    for (int i = 0; i < vectors.length; i++) {
      MemorySegment.copy(vectors[i], 0, out, FLOAT, 4L * i * dim, dim);
    }
    return out;
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
