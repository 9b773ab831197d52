package dev.magpie.engine.rank;

import dev.magpie.engine.io.ChecksummedFileWriter;
import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.io.MappedFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A reranking model: a weight per {@link Feature} and, optionally, gradient-boosted trees ({@link
 * TreeEnsemble}) on top. An item's score is the sum of weight times feature value plus the trees'
 * output; {@link #parts} splits it by feature (each linear term plus each feature's share of the
 * trees), so every score is explained: {@code score = bias() + sum of parts}. Immutable. Stored as
 * a small file in the common envelope:
 *
 * <pre>
 *  body        string name (the model's provenance)
 *              per weight:   string feature name, float32 weight
 *              per feature the trees split on:   string feature name
 *              per tree:     int32 node count, then per node:
 *                            int32 feature (index in the list above, -1 for a leaf),
 *                            float32 threshold, int32 left, int32 right, float32 value
 *  parameters  number of weights, number of tree features, number of trees
 *  string      int32 byte length, UTF-8 bytes
 * </pre>
 *
 * Features are stored by name, so a file written before a feature was added still reads (the new
 * feature's weight is 0); a file naming a feature this build does not know is refused.
 */
public final class RankingModel {
  /** File kind in the header. */
  public static final String KIND = "ranker";

  /** Format version. */
  public static final int VERSION = 2;

  /**
   * The recommendation model used until one is trained: behaviour evidence first, then the
   * shopper's affinities and knowledge, a little quality and freshness, and a penalty on popularity
   * (debiasing: a popular item needs more evidence). Exploration picks have their own share of the
   * list, not a bonus.
   */
  public static final RankingModel RECOMMEND_DEFAULT =
      new RankingModel(
          "recommend-default",
          weights(
              Feature.TOGETHER,
              1.0f,
              Feature.COMPLEMENT,
              0.8f,
              Feature.VECTOR,
              0.3f,
              Feature.KNOWLEDGE,
              0.3f,
              Feature.CATEGORY_AFFINITY,
              0.2f,
              Feature.BRAND_AFFINITY,
              0.1f,
              Feature.PRICE_FIT,
              0.05f,
              Feature.RATING,
              0.05f,
              Feature.CONVERSION,
              0.05f,
              Feature.FRESHNESS,
              0.05f,
              Feature.POPULARITY,
              -0.1f));

  /**
   * The search model used until one is trained: the fused relevance alone, so hybrid order is kept.
   */
  public static final RankingModel SEARCH_DEFAULT =
      new RankingModel("search-default", weights(Feature.RELEVANCE, 1f));

  private static final ValueLayout.OfInt INT =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfFloat FLOAT =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** The most trees, and nodes per tree, a model file may hold. */
  private static final int MAX_TREES = 100_000;

  private static final int MAX_NODES = 1 << 16;

  private final String name;
  private final float[] weights;
  private final TreeEnsemble trees;

  /** A linear model named {@code name} with {@code weights} (absent features weigh 0). */
  public RankingModel(String name, Map<Feature, Float> weights) {
    this(name, weights, TreeEnsemble.EMPTY);
  }

  /** A model named {@code name}: {@code weights} (absent features weigh 0) plus {@code trees}. */
  public RankingModel(String name, Map<Feature, Float> weights, TreeEnsemble trees) {
    this.name = name;
    this.trees = trees;
    this.weights = new float[Feature.values().length];
    weights.forEach(
        (f, w) -> {
          if (!Float.isFinite(w)) {
            throw new IllegalArgumentException("weight of " + f + " must be finite, got " + w);
          }
          this.weights[f.ordinal()] = w;
        });
  }

  private static Map<Feature, Float> weights(Object... pairs) {
    Map<Feature, Float> m = new EnumMap<>(Feature.class);
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((Feature) pairs[i], (Float) pairs[i + 1]);
    }
    return m;
  }

  /** The model's name (where it came from). */
  public String name() {
    return name;
  }

  /** The weight of {@code feature}. */
  public float weight(Feature feature) {
    return weights[feature.ordinal()];
  }

  /** Every non-zero weight. */
  public Map<Feature, Float> weights() {
    Map<Feature, Float> m = new EnumMap<>(Feature.class);
    for (Feature f : Feature.values()) {
      if (weights[f.ordinal()] != 0) {
        m.put(f, weights[f.ordinal()]);
      }
    }
    return m;
  }

  /** Whether the score reads {@code feature}: a non-zero weight, or a tree that splits on it. */
  public boolean uses(Feature feature) {
    return weights[feature.ordinal()] != 0 || trees.uses(feature);
  }

  /** The trees added to the linear part ({@link TreeEnsemble#EMPTY} for a linear model). */
  public TreeEnsemble trees() {
    return trees;
  }

  /** This model with {@code feature} weighing {@code weight}, renamed {@code newName}. */
  public RankingModel with(String newName, Feature feature, float weight) {
    Map<Feature, Float> m = weights();
    m.put(feature, weight);
    return new RankingModel(newName, m, trees);
  }

  /** The score of {@code features} (indexed by {@link Feature#ordinal()}). */
  public float score(float[] features) {
    float s = 0;
    for (int f = 0; f < weights.length; f++) {
      s += weights[f] * features[f];
    }
    return trees.size() == 0 ? s : s + trees.score(features);
  }

  /** What every score starts from before any feature counts (the trees' roots; 0 when linear). */
  public float bias() {
    return trees.bias();
  }

  /**
   * Each feature's part of the score of {@code features}, non-zero ones only: its weight times its
   * value plus its share of the trees. They sum to {@code score(features) - bias()}.
   */
  public Map<Feature, Float> parts(float[] features) {
    float[] parts = new float[weights.length];
    for (int f = 0; f < weights.length; f++) {
      parts[f] = weights[f] * features[f];
    }
    trees.contributions(features, parts);
    Map<Feature, Float> out = new EnumMap<>(Feature.class);
    for (Feature f : Feature.values()) {
      if (parts[f.ordinal()] != 0) {
        out.put(f, parts[f.ordinal()]);
      }
    }
    return out;
  }

  /** Writes the model to {@code file}. */
  public void write(Path file) throws IOException {
    try (ChecksummedFileWriter out = ChecksummedFileWriter.create(file, KIND, VERSION)) {
      writeString(out, name);
      Map<Feature, Float> nonZero = weights();
      for (Map.Entry<Feature, Float> e : nonZero.entrySet()) {
        writeString(out, e.getKey().name().toLowerCase(Locale.ROOT));
        out.writeFloat(e.getValue());
      }
      List<Feature> split = new ArrayList<>();
      for (Feature f : Feature.values()) {
        if (trees.uses(f)) {
          split.add(f);
          writeString(out, f.name().toLowerCase(Locale.ROOT));
        }
      }
      for (TreeEnsemble.Tree tree : trees.trees()) {
        out.writeInt(tree.size());
        for (int i = 0; i < tree.size(); i++) {
          int f = tree.feature()[i];
          out.writeInt(f < 0 ? -1 : split.indexOf(Feature.values()[f]));
          out.writeFloat(tree.threshold()[i]);
          out.writeInt(tree.left()[i]);
          out.writeInt(tree.right()[i]);
          out.writeFloat(tree.value()[i]);
        }
      }
      out.finish(nonZero.size(), split.size(), trees.size());
    }
  }

  private static void writeString(ChecksummedFileWriter out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.writeBytes(bytes, 0, bytes.length);
  }

  /**
   * Reads a model written by {@link #write}, verifying its checksum.
   *
   * @throws CorruptFileException when the file is damaged or names an unknown feature
   */
  public static RankingModel read(Path file) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MappedFile mapped = MappedFile.open(file, arena, KIND, VERSION, true);
      MemorySegment body = mapped.body();
      long count = mapped.param(0);
      long splitCount = mapped.param(1);
      long treeCount = mapped.param(2);
      mapped.require(count >= 0 && count <= Feature.values().length, "weight count " + count);
      mapped.require(
          splitCount >= 0 && splitCount <= Feature.values().length,
          "tree feature count " + splitCount);
      mapped.require(treeCount >= 0 && treeCount <= MAX_TREES, "tree count " + treeCount);
      long[] at = {0};
      try {
        String name = readString(body, at);
        Map<Feature, Float> weights = new EnumMap<>(Feature.class);
        for (long i = 0; i < count; i++) {
          Feature f = readFeature(mapped, body, at);
          float w = body.get(FLOAT, at[0]);
          at[0] += Float.BYTES;
          mapped.require(Float.isFinite(w), "weight of " + f + " is " + w);
          weights.put(f, w);
        }
        int[] split = new int[(int) splitCount];
        for (int i = 0; i < split.length; i++) {
          split[i] = readFeature(mapped, body, at).ordinal();
        }
        List<TreeEnsemble.Tree> trees = new ArrayList<>();
        for (long t = 0; t < treeCount; t++) {
          trees.add(readTree(mapped, body, at, split));
        }
        mapped.require(
            at[0] == body.byteSize(), "body has " + body.byteSize() + " bytes, the model " + at[0]);
        return new RankingModel(name, weights, new TreeEnsemble(trees));
      } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
        throw new CorruptFileException(file, e.getMessage());
      }
    }
  }

  private static Feature readFeature(MappedFile mapped, MemorySegment body, long[] at)
      throws CorruptFileException {
    String featureName = readString(body, at);
    Feature f = Feature.named(featureName);
    mapped.require(f != null, "unknown feature '" + featureName + "'");
    return f;
  }

  private static TreeEnsemble.Tree readTree(
      MappedFile mapped, MemorySegment body, long[] at, int[] split) throws CorruptFileException {
    int n = body.get(INT, at[0]);
    mapped.require(n > 0 && n <= MAX_NODES, "tree of " + n + " nodes");
    at[0] += Integer.BYTES;
    int[] feature = new int[n];
    float[] threshold = new float[n];
    int[] left = new int[n];
    int[] right = new int[n];
    float[] value = new float[n];
    for (int i = 0; i < n; i++) {
      int f = body.get(INT, at[0]);
      mapped.require(f >= -1 && f < split.length, "node " + i + " names tree feature " + f);
      feature[i] = f < 0 ? -1 : split[f];
      threshold[i] = body.get(FLOAT, at[0] + 4);
      left[i] = body.get(INT, at[0] + 8);
      right[i] = body.get(INT, at[0] + 12);
      value[i] = body.get(FLOAT, at[0] + 16);
      at[0] += 20;
    }
    return new TreeEnsemble.Tree(feature, threshold, left, right, value);
  }

  private static String readString(MemorySegment body, long[] at) {
    int length = body.get(INT, at[0]);
    if (length < 0 || length > 1 << 16) {
      throw new IndexOutOfBoundsException("string length " + length);
    }
    byte[] bytes = body.asSlice(at[0] + Integer.BYTES, length).toArray(ValueLayout.JAVA_BYTE);
    at[0] += Integer.BYTES + length;
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(name).append(" {");
    weights()
        .forEach(
            (f, w) ->
                s.append(' ')
                    .append(f.name().toLowerCase(Locale.ROOT))
                    .append('=')
                    .append(String.format(Locale.ROOT, "%.4g", w)));
    if (trees.size() > 0) {
      s.append(" + ").append(trees.size()).append(" trees");
    }
    return s.append(" }").toString();
  }
}
