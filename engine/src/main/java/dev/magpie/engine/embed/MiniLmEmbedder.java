package dev.magpie.engine.embed;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The built-in embedder: all-MiniLM-L6-v2, int8-quantized, 384 dimensions, unit length, run
 * in-process by ONNX Runtime from the model inside the langchain4j jar: no network, no service.
 * Texts longer than the model's 256 word pieces are cut by its tokenizer. Batches run on named
 * threads (magpie-embed-N).
 */
public final class MiniLmEmbedder implements Embedder {
  /** Name recorded in manifests. */
  public static final String NAME = "all-minilm-l6-v2-q";
  /** The tokenizer inside the langchain4j jar, whose vocabulary says which words the model knows. */
  private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";
  /** The model's dimension. */
  public static final int DIMENSION = 384;

  private final ExecutorService executor;
  private final AllMiniLmL6V2QuantizedEmbeddingModel model;
  private final Set<String> words;

  /** Loads the model (about a second and a half). */
  public MiniLmEmbedder() {
    AtomicInteger names = new AtomicInteger();
    executor = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
      Thread t = new Thread(r, "magpie-embed-" + names.getAndIncrement());
      t.setDaemon(true);
      return t;
    });
    model = new AllMiniLmL6V2QuantizedEmbeddingModel(executor);
    words = wholeWords();
  }

  /** The tokenizer's whole words (word pieces that do not continue a word), from the model's jar. */
  private static Set<String> wholeWords() {
    try (InputStream in = AllMiniLmL6V2QuantizedEmbeddingModel.class.getClassLoader()
        .getResourceAsStream(TOKENIZER_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(TOKENIZER_RESOURCE + " is missing from the model's jar");
      }
      Set<String> out = new HashSet<>();
      new ObjectMapper().readTree(in).path("model").path("vocab").fieldNames().forEachRemaining(piece -> {
        if (!piece.startsWith("##") && !piece.startsWith("[")) {
          out.add(piece);
        }
      });
      return Set.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + TOKENIZER_RESOURCE, e);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public float[] embed(String text) {
    return model.embed(text).content().vector();
  }

  @Override
  public boolean knowsWord(String word) {
    return words.contains(word);
  }

  @Override
  public List<float[]> embedAll(List<String> texts) {
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (String text : texts) {
      segments.add(TextSegment.from(text.isBlank() ? "-" : text));
    }
    List<float[]> out = new ArrayList<>(texts.size());
    model.embedAll(segments).content().forEach(e -> out.add(e.vector()));
    return out;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
