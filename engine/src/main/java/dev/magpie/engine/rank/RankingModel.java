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
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * A linear reranking model: a weight per {@link Feature}; an item's score is the sum of weight times
 * feature value, and each term is a part of its explanation. Immutable. Stored as a small file in
 * the common envelope:
 *
 * <pre>
 *  body        int32 name length, UTF-8 name (the model's provenance), then per weight:
 *              int32 feature-name length, UTF-8 feature name, float32 weight
 *  parameters  number of weights
 * </pre>
 *
 * Features are stored by name, so a file written before a feature was added still reads (the new
 * feature's weight is 0); a file naming a feature this build does not know is refused.
 */
public final class RankingModel {
  /** File kind in the header. */
  public static final String KIND = "ranker";
  /** Format version. */
  public static final int VERSION = 1;

  /**
   * The recommendation model used until one is trained: behaviour evidence first, then the shopper's
   * affinities and knowledge, a little quality, and a penalty on popularity (debiasing: a popular
   * item needs more evidence). Exploration picks have their own share of the list, not a bonus.
   */
  public static final RankingModel RECOMMEND_DEFAULT = new RankingModel("recommend-default", weights(
      Feature.TOGETHER, 1.0f, Feature.COMPLEMENT, 0.8f, Feature.VECTOR, 0.3f, Feature.KNOWLEDGE, 0.3f,
      Feature.CATEGORY_AFFINITY, 0.2f, Feature.BRAND_AFFINITY, 0.1f, Feature.PRICE_FIT, 0.05f,
      Feature.RATING, 0.05f, Feature.CONVERSION, 0.05f, Feature.POPULARITY, -0.1f));

  /** The search model used until one is trained: the fused relevance alone, so hybrid order is kept. */
  public static final RankingModel SEARCH_DEFAULT = new RankingModel("search-default", weights(Feature.RELEVANCE, 1f));

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final String name;
  private final float[] weights;

  /** A model named {@code name} with {@code weights} (absent features weigh 0). */
  public RankingModel(String name, Map<Feature, Float> weights) {
    this.name = name;
    this.weights = new float[Feature.values().length];
    weights.forEach((f, w) -> {
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

  /** This model with {@code feature} weighing {@code weight}, renamed {@code newName}. */
  public RankingModel with(String newName, Feature feature, float weight) {
    Map<Feature, Float> m = weights();
    m.put(feature, weight);
    return new RankingModel(newName, m);
  }

  /** The score of {@code features} (indexed by {@link Feature#ordinal()}). */
  public float score(float[] features) {
    float s = 0;
    for (int f = 0; f < weights.length; f++) {
      s += weights[f] * features[f];
    }
    return s;
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
      out.finish(nonZero.size());
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
      mapped.require(count >= 0 && count <= Feature.values().length, "weight count " + count);
      long[] at = {0};
      try {
        String name = readString(body, at);
        Map<Feature, Float> weights = new EnumMap<>(Feature.class);
        for (long i = 0; i < count; i++) {
          String featureName = readString(body, at);
          Feature f = Feature.named(featureName);
          mapped.require(f != null, "unknown feature '" + featureName + "'");
          float w = body.get(FLOAT, at[0]);
          at[0] += Float.BYTES;
          mapped.require(Float.isFinite(w), "weight of " + featureName + " is " + w);
          weights.put(f, w);
        }
        mapped.require(at[0] == body.byteSize(), "body has " + body.byteSize() + " bytes, the weights " + at[0]);
        return new RankingModel(name, weights);
      } catch (IndexOutOfBoundsException e) {
        throw new CorruptFileException(file, e.getMessage());
      }
    }
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
    weights().forEach((f, w) -> s.append(' ').append(f.name().toLowerCase(Locale.ROOT)).append('=')
        .append(String.format(Locale.ROOT, "%.4g", w)));
    return s.append(" }").toString();
  }
}
