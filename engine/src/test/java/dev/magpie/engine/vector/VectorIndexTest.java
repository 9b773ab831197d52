package dev.magpie.engine.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.testing.Corruption;
import dev.magpie.engine.testing.Seeded;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Seeded
class VectorIndexTest {
  /** Clustered vectors, like sentence embeddings: random centres, points scattered around them. */
  static float[][] clustered(Random random, int count, int dim, int clusters) {
    float[][] centres = new float[clusters][dim];
    for (float[] c : centres) {
      for (int d = 0; d < dim; d++) {
        c[d] = (float) random.nextGaussian();
      }
    }
    float[][] out = new float[count][];
    for (int i = 0; i < count; i++) {
      float[] c = centres[random.nextInt(clusters)];
      float[] v = new float[dim];
      for (int d = 0; d < dim; d++) {
        v[d] = c[d] + 0.6f * (float) random.nextGaussian();
      }
      out[i] = VectorSimilarity.COSINE.prepare(v);
    }
    return out;
  }

  /** Builds an index over {@code vectors} (all present) in {@code arena}. */
  static VectorIndex build(Arena arena, float[][] vectors, HnswParameters params, int threads)
      throws InterruptedException {
    VectorIndex index =
        new VectorIndexBuilder(VectorSimilarity.COSINE, params, threads)
            .build(
                arena,
                floats(arena, vectors),
                vectors.length,
                vectors[0].length,
                i -> true,
                n -> {});
    index.graph().validate();
    return index;
  }

  static MemorySegment floats(Arena arena, float[][] vectors) {
    return VectorIndexBuilder.rows(arena, vectors);
  }

  /** The exact top k by float dot product among {@code filter} (null: all). */
  static int[] bruteForce(float[][] vectors, float[] query, int k, BitSet filter) {
    float[] q = VectorSimilarity.COSINE.prepare(query);
    Integer[] ids = new Integer[vectors.length];
    int n = 0;
    for (int i = 0; i < vectors.length; i++) {
      if (filter == null || filter.get(i)) {
        ids[n++] = i;
      }
    }
    Integer[] order = Arrays.copyOf(ids, n);
    Arrays.sort(
        order,
        (a, b) ->
            Float.compare(
                VectorSimilarity.dot(vectors[b], q), VectorSimilarity.dot(vectors[a], q)));
    return Arrays.stream(order).limit(k).mapToInt(Integer::intValue).toArray();
  }

  static double recall(int[] truth, int[] found) {
    BitSet t = new BitSet();
    Arrays.stream(truth).forEach(t::set);
    return truth.length == 0
        ? 1
        : Arrays.stream(found).filter(t::get).count() / (double) truth.length;
  }

  /** {@code vectors} written as a file of rows from byte {@code offset}, opened on disk. */
  static FloatRowsOnDisk onDisk(Arena arena, Path file, float[][] vectors, int offset)
      throws IOException {
    java.nio.ByteBuffer bytes =
        java.nio.ByteBuffer.allocate(offset + 4 * vectors.length * vectors[0].length)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    bytes.position(offset);
    for (float[] v : vectors) {
      for (float x : v) {
        bytes.putFloat(x);
      }
    }
    java.nio.file.Files.write(file, bytes.array());
    return FloatRowsOnDisk.open(file, offset, vectors.length, vectors[0].length, arena);
  }

  /**
   * Recall@10 against brute force over the floats, for each way of ordering the candidates. In 48
   * dimensions a row's int8 rounding moves it as far as its neighbours are apart, so the codes
   * alone order them worse than in 384 (Home Depot: 0.98 by the codes, 0.99 with floats); the
   * served way (the floats read from disk) gives the mapped floats' recall.
   */
  @Test
  void recallAgainstBruteForceOnClusteredVectors(Random random, @TempDir Path dir)
      throws InterruptedException, IOException {
    float[][] vectors = clustered(random, 6_000, 48, 60);
    try (Arena arena = Arena.ofShared()) {
      VectorIndex built = build(arena, vectors, new HnswParameters(16, 100, random.nextLong()), 2);
      VectorIndex served = built.withRowsOnDisk(onDisk(arena, dir.resolve("rows"), vectors, 64));
      VectorIndex[] ways = {
        served,
        built,
        built.rescoring(VectorIndex.Rescoring.FULL_PRECISION),
        built.rescoring(VectorIndex.Rescoring.NONE)
      };
      double[] total = new double[ways.length];
      int queries = 200;
      for (int q = 0; q < queries; q++) {
        float[] query = clustered(random, 1, 48, 1)[0];
        for (int d = 0; d < 48; d++) {
          query[d] = vectors[random.nextInt(vectors.length)][d] * 0.3f + query[d];
        }
        int[] truth = bruteForce(vectors, query, 10, null);
        for (int w = 0; w < ways.length; w++) {
          VectorResult result = ways[w].search(query, 10, 64, null);
          assertEquals(10, result.size());
          total[w] += recall(truth, result.ordinals());
          for (int i = 1; i < result.size(); i++) {
            assertTrue(result.scores()[i - 1] >= result.scores()[i], "scores descend");
          }
        }
      }
      double[] mean = Arrays.stream(total).map(t -> t / queries).toArray();
      System.out.printf(
          "recall@10 (ef 64, 6000 x 48-d clustered): served %.4f, codes %.4f, floats %.4f,"
              + " int8 %.4f%n",
          mean[0], mean[1], mean[2], mean[3]);
      assertTrue(mean[0] >= 0.9, "served recall@10 " + mean[0]);
      assertEquals(mean[2], mean[0], 0.0, "the floats on disk give the mapped floats' order");
      assertTrue(mean[1] > mean[3], "the length correction beats raw int8 codes");
    }
  }

  @Test
  void floatsOnDiskRescoreAsTheMappedFloatsDo(Random random, @TempDir Path dir)
      throws InterruptedException, IOException {
    float[][] vectors = clustered(random, 3_000, 32, 30);
    try (Arena arena = Arena.ofShared()) {
      VectorIndex built = build(arena, vectors, HnswParameters.DEFAULTS, 2);
      VectorIndex served = built.withRowsOnDisk(onDisk(arena, dir.resolve("rows"), vectors, 0));
      VectorIndex floats = built.rescoring(VectorIndex.Rescoring.FULL_PRECISION);
      for (int q = 0; q < 50; q++) {
        float[] query = vectors[random.nextInt(vectors.length)].clone();
        query[random.nextInt(32)] += 0.2f;
        VectorResult a = served.search(query, 10, 80, null);
        VectorResult b = floats.search(query, 10, 80, null);
        assertArrayEquals(b.ordinals(), a.ordinals(), "query " + q + ": as with the floats mapped");
        assertArrayEquals(b.scores(), a.scores(), 0f, "query " + q);
        int[] some = {random.nextInt(vectors.length), a.ordinals()[0]};
        assertArrayEquals(
            floats.similarities(query, some), served.similarities(query, some), 0f, "query " + q);
      }
      assertThrows(
          IllegalArgumentException.class,
          () ->
              built.withRowsOnDisk(
                  onDisk(arena, dir.resolve("short"), Arrays.copyOf(vectors, 100), 0)),
          "fewer rows on disk than vectors");
    }
  }

  @Test
  void walkingBinaryCodesThenRescoringFindsNeighboursInHighDimensions(Random random)
      throws InterruptedException {
    int dim = 256;
    float[][] vectors = clustered(random, 4_000, dim, 40);
    try (Arena arena = Arena.ofShared()) {
      VectorIndex bits =
          build(arena, vectors, new HnswParameters(16, 100, random.nextLong()), 2)
              .walkingBinaryCodes();
      double total = 0;
      int queries = 100;
      for (int q = 0; q < queries; q++) {
        float[] query = vectors[random.nextInt(vectors.length)].clone();
        for (int d = 0; d < dim; d++) {
          query[d] += (float) random.nextGaussian() * 0.05f;
        }
        VectorResult result = bits.search(query, 10, 200, null);
        assertEquals(10, result.size());
        total += recall(bruteForce(vectors, query, 10, null), result.ordinals());
        for (int i = 1; i < result.size(); i++) {
          assertTrue(
              result.scores()[i - 1] >= result.scores()[i], "scores descend after rescoring");
        }
      }
      double mean = total / queries;
      System.out.printf(
          "recall@10 %.4f walking binary codes (ef 200, 4000 x 256-d clustered)%n", mean);
      assertTrue(mean >= 0.85, "recall@10 " + mean);
    }
  }

  @Test
  void scoringSeveralNodesAtOnceGivesEachItsOwnScore(Random random) throws InterruptedException {
    float[][] vectors = clustered(random, 600, 67, 5);
    try (Arena arena = Arena.ofShared()) {
      VectorIndex index = build(arena, vectors, new HnswParameters(8, 40, random.nextLong()), 1);
      Int8Vectors codes = index.vectors();
      for (int q = 0; q < 20; q++) {
        byte[] query = codes.quantizer().quantize(vectors[random.nextInt(vectors.length)]);
        VectorScorer scorer = codes.scorer(query);
        int count = random.nextInt(40);
        int[] nodes = random.ints(count, 0, vectors.length).toArray();
        int[] scores = new int[count + 1];
        scores[count] = 12345;
        scorer.score(nodes, count, scores);
        for (int i = 0; i < count; i++) {
          assertEquals(
              codes.score(nodes[i], query),
              scores[i],
              "node " + nodes[i] + " at " + i + " of " + count);
        }
        assertEquals(12345, scores[count], "nothing written past count");
      }
    }
  }

  @Test
  void filteredSearchReturnsOnlyAcceptedItemsAndKWhenKExist(Random random)
      throws InterruptedException {
    float[][] vectors = clustered(random, 5_000, 32, 40);
    try (Arena arena = Arena.ofShared()) {
      VectorIndex index = build(arena, vectors, new HnswParameters(12, 80, random.nextLong()), 1);
      for (double share : new double[] {0.9, 0.5, 0.2, 0.05, 0.01, 0.001, 0}) {
        double total = 0;
        for (int q = 0; q < 30; q++) {
          BitSet filter = new BitSet();
          if (share > 0.3 || share == 0) {
            for (int i = 0; i < vectors.length; i++) {
              if (random.nextDouble() < share) {
                filter.set(i);
              }
            }
          } else {
            // A selective filter picks whole regions, as a category does.
            float[] centre = vectors[random.nextInt(vectors.length)];
            int[] near =
                bruteForce(vectors, centre, (int) Math.max(1, share * vectors.length), null);
            Arrays.stream(near).forEach(filter::set);
          }
          float[] query = vectors[random.nextInt(vectors.length)].clone();
          query[0] += 0.1f;
          // The same filter as a bit set (exact count) and as a predicate (sampled estimate).
          for (VectorResult result :
              List.of(
                  index.search(query, 10, 64, filter),
                  index.searchFiltered(query, 10, 64, filter::get))) {
            int expected = Math.min(10, filter.cardinality());
            assertEquals(expected, result.size(), "share " + share + ": k hits when k pass");
            for (int ordinal : result.ordinals()) {
              assertTrue(filter.get(ordinal), "share " + share + ": " + ordinal + " does not pass");
            }
            total += recall(bruteForce(vectors, query, 10, filter), result.ordinals()) / 2;
          }
        }
        double mean = total / 30;
        System.out.printf("filter share %.3f: recall@10 %.4f%n", share, mean);
        assertTrue(mean >= 0.85, "share " + share + ": recall " + mean);
      }
    }
  }

  /**
   * Filters passing 5 to 8 % of 40,000 items take the bridging walk (more than {@link
   * VectorIndex#EXACT_BELOW} pass, under {@link VectorIndex#BRIDGE_BELOW_SHARE}): items spread
   * uniformly, and items in three regions away from the query, which two hops from the greedy
   * descent do not reach but the sampled entries do.
   */
  @Test
  void bridgingWalkFindsTheFilteredNeighboursScoringFewItems(Random random)
      throws InterruptedException {
    float[][] vectors = clustered(random, 40_000, 24, 200);
    try (Arena arena = Arena.ofShared()) {
      // The walk under test; its candidates ordered by their floats, as served.
      VectorIndex index =
          build(arena, vectors, new HnswParameters(12, 80, random.nextLong()), 2)
              .rescoring(VectorIndex.Rescoring.FULL_PRECISION);
      for (boolean regions : new boolean[] {false, true}) {
        double recall = 0;
        long scored = 0;
        long accepted = 0;
        int walked = 0;
        int queries = 20;
        for (int q = 0; q < queries; q++) {
          BitSet filter = new BitSet();
          if (regions) {
            for (int r = 0; r < 3; r++) {
              Arrays.stream(
                      bruteForce(vectors, vectors[random.nextInt(vectors.length)], 1_000, null))
                  .forEach(filter::set);
            }
          } else {
            for (int i = 0; i < vectors.length; i++) {
              if (random.nextDouble() < 0.07) {
                filter.set(i);
              }
            }
          }
          float[] query = vectors[random.nextInt(vectors.length)].clone();
          query[0] += 0.1f;
          VectorResult result = index.searchFiltered(query, 10, 64, filter::get);
          assertEquals(10, result.size());
          for (int ordinal : result.ordinals()) {
            assertTrue(filter.get(ordinal), ordinal + " does not pass");
          }
          recall += recall(bruteForce(vectors, query, 10, filter), result.ordinals());
          walked += result.exact() ? 0 : 1;
          scored += result.scored();
          accepted += filter.cardinality();
        }
        System.out.printf(
            "bridging, %s: recall@10 %.4f, %d of %d walked, scored %.1f%% of the passing items%n",
            regions ? "three regions" : "uniform 7%",
            recall / queries,
            walked,
            queries,
            100.0 * scored / accepted);
        assertTrue(recall / queries >= 0.9, "recall " + recall / queries);
        assertTrue(
            walked >= queries * 0.8,
            walked + " of " + queries + " answered by the walk, not a scan");
      }
    }
  }

  /** The bridging walk's entry sample against a stretch-by-stretch oracle, sparse and dense. */
  @Test
  void samplesOnePassingItemPerStretch(Random random) {
    for (int round = 0; round < 200; round++) {
      int count = 1 + random.nextInt(5_000);
      int stretches = 1 + random.nextInt(600);
      double density = random.nextInt(4) == 0 ? 0.0005 : random.nextDouble();
      int clusteredFrom = random.nextBoolean() ? random.nextInt(count) : 0;
      BitSet allowed = new BitSet();
      for (int i = clusteredFrom; i < count; i++) {
        if (random.nextDouble() < density) {
          allowed.set(i);
        }
      }
      BitSet passes = new BitSet();
      for (int i = 0; i < count; i++) {
        if (random.nextDouble() < 0.8) {
          passes.set(i);
        }
      }
      int stride = Math.max(1, count / stretches);
      List<Integer> expected = new ArrayList<>();
      List<Integer> expectedUnlisted = new ArrayList<>();
      for (int from = 0; from < count; from += stride) {
        int end = Math.min(count, from + stride);
        int first = allowed.nextSetBit(from);
        if (first >= 0 && first < end && passes.get(first)) {
          expected.add(first);
        }
        for (int i = from; i < Math.min(end, from + VectorIndex.SEED_PROBES); i++) {
          if (allowed.get(i) && passes.get(i)) {
            expectedUnlisted.add(i);
            break;
          }
        }
      }
      List<Integer> listed = new ArrayList<>();
      VectorIndex.samplePassing(count, stretches, allowed, passes::get, listed::add);
      assertEquals(
          expected, listed, "count " + count + ", stretches " + stretches + ", density " + density);
      List<Integer> unlisted = new ArrayList<>();
      VectorIndex.samplePassing(
          count, stretches, null, o -> allowed.get(o) && passes.get(o), unlisted::add);
      assertEquals(
          expectedUnlisted,
          unlisted,
          "as a predicate: count " + count + ", stretches " + stretches);
    }
  }

  @Test
  void buildIsRepeatableForASeedWhateverTheThreads(Random random) throws InterruptedException {
    float[][] vectors = clustered(random, 3_000, 24, 30);
    HnswParameters params = new HnswParameters(8, 40, random.nextLong());
    try (Arena arena = Arena.ofShared()) {
      VectorIndex one = build(arena, vectors, params, 1);
      VectorIndex two = build(arena, vectors, params, 2);
      assertEquals(
          -1, one.graph().body().mismatch(two.graph().body()), "same bytes with 1 and 2 threads");
      VectorIndex other = build(arena, vectors, new HnswParameters(8, 40, params.seed() + 1), 2);
      assertTrue(
          one.graph().body().mismatch(other.graph().body()) >= 0, "another seed, another graph");
    }
  }

  @Test
  void roundTripsThroughFilesAndRefusesDamage(Random random, @TempDir Path dir)
      throws IOException, InterruptedException {
    float[][] vectors = clustered(random, 2_000, 16, 20);
    float[] query = vectors[7];
    try (Arena arena = Arena.ofShared()) {
      VectorIndex built = build(arena, vectors, HnswParameters.DEFAULTS, 2);
      built.write(dir);
      VectorIndex opened = VectorIndex.open(dir, arena, i -> true, null, true);
      opened.graph().validate();
      VectorResult a = built.search(query, 10, 50, null);
      VectorResult b = opened.search(query, 10, 50, null);
      assertArrayEquals(a.ordinals(), b.ordinals());
      assertArrayEquals(a.scores(), b.scores());
      VectorIndex withFloats =
          VectorIndex.open(dir, arena, i -> true, floats(arena, vectors), true);
      assertEquals(VectorIndex.Rescoring.FULL_PRECISION, withFloats.rescoring());
      VectorResult c = withFloats.search(query, 10, 50, null);
      VectorResult d =
          built.rescoring(VectorIndex.Rescoring.FULL_PRECISION).search(query, 10, 50, null);
      assertArrayEquals(c.ordinals(), d.ordinals(), "rescored with the floats alike");
      assertArrayEquals(c.scores(), d.scores());
      VectorResult aBits = built.walkingBinaryCodes().search(query, 10, 50, null);
      VectorResult bBits = opened.walkingBinaryCodes().search(query, 10, 50, null);
      assertArrayEquals(aBits.ordinals(), bBits.ordinals(), "binary codes round trip");
      assertEquals(7, b.ordinals()[0], "a vector is its own nearest neighbour");
    }
    for (String file : List.of(VectorIndex.GRAPH_FILE, BinaryVectors.FILE)) {
      Path damaged = dir.resolve(file);
      byte[] good = java.nio.file.Files.readAllBytes(damaged);
      Corruption.flipBit(damaged, 64 + random.nextLong(good.length - 128), random.nextInt(8));
      try (Arena arena = Arena.ofShared()) {
        assertThrows(
            CorruptFileException.class,
            () -> VectorIndex.open(dir, arena, i -> true, floats(arena, vectors), true),
            file);
      }
      java.nio.file.Files.write(damaged, good);
    }
  }

  @Test
  void rejectsAQueryOfTheWrongDimensionOrWithNaN(Random random) throws InterruptedException {
    float[][] vectors = clustered(random, 200, 16, 4);
    try (Arena arena = Arena.ofShared()) {
      VectorIndex index = build(arena, vectors, HnswParameters.DEFAULTS, 1);
      IllegalArgumentException wrong =
          assertThrows(
              IllegalArgumentException.class, () -> index.search(new float[15], 10, 50, null));
      assertEquals("query vector has 15 dimensions, the index has 16", wrong.getMessage());
      float[] nan = vectors[0].clone();
      nan[3] = Float.NaN;
      IllegalArgumentException bad =
          assertThrows(IllegalArgumentException.class, () -> index.search(nan, 10, 50, null));
      assertEquals("query vector element 3 is NaN", bad.getMessage());
      assertThrows(
          IllegalArgumentException.class,
          () -> index.search(new float[16], 10, 50, null),
          "a zero vector has no cosine");
    }
  }
}
