package dev.magpie.engine.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The built-in embedder: all-MiniLM-L6-v2, int8-quantized, 384 dimensions, unit length, run
 * in-process by ONNX Runtime from the model inside the langchain4j jar: no network, no service.
 * Texts longer than the model's 256 word pieces are cut by its tokenizer. Batches run on named
 * threads (magpie-embed-N).
 *
 * <p>Each embedding runs on the calling thread alone (ONNX Runtime's intra-op pool set to one
 * thread, without spinning): parallelism comes from concurrent callers and from batches spread over
 * the named threads. ONNX Runtime's default, a pool of spinning threads per session, competed with
 * the JVM's own threads on a small machine: JMH hybrid search p99 5.0 and 6.3 ms with it, 2.7 and
 * 2.9 ms without; loading the Home Depot titles 106 s with it, 67 s without.
 */
public final class MiniLmEmbedder implements Embedder {
  /** Name recorded in manifests. */
  public static final String NAME = "all-minilm-l6-v2-q";

  /**
   * The tokenizer inside the langchain4j jar, whose vocabulary says which words the model knows.
   */
  private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

  /** The quantized model inside the langchain4j jar. */
  private static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";

  /** The model's dimension. */
  public static final int DIMENSION = 384;

  private final ExecutorService executor;
  private final OrtSession session;
  private final SessionModel model;
  private final Set<String> words;

  /**
   * Loads the model (about a second and a half).
   *
   * @throws ModelUnavailableException if ONNX Runtime's native library or the model cannot be
   *     loaded
   */
  public MiniLmEmbedder() {
    OrtEnvironment environment = environment();
    AtomicInteger names = new AtomicInteger();
    executor =
        Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()),
            r -> {
              Thread t = new Thread(r, "magpie-embed-" + names.getAndIncrement());
              t.setDaemon(true);
              return t;
            });
    byte[] tokenizer;
    OrtSession opened = null;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        InputStream modelBytes = resource(MODEL_RESOURCE);
        InputStream tokenizerBytes = resource(TOKENIZER_RESOURCE)) {
      tokenizer = tokenizerBytes.readAllBytes(); // read once: for the encoder and for the word list
      options.setIntraOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      opened = environment.createSession(modelBytes.readAllBytes(), options);
      model =
          new SessionModel(
              new OnnxBertBiEncoder(
                  environment, opened, new ByteArrayInputStream(tokenizer), PoolingMode.MEAN),
              executor);
    } catch (OrtException | IOException | RuntimeException e) {
      executor.shutdownNow();
      closeQuietly(opened, e);
      throw new ModelUnavailableException(
          "cannot load " + MODEL_RESOURCE + ": " + e.getMessage(), e);
    }
    session = opened;
    words = wholeWords(tokenizer);
  }

  /**
   * ONNX Runtime's environment. Its first use unpacks and links the native library; a failure there
   * is a LinkageError (UnsatisfiedLinkError, then NoClassDefFoundError on every later try).
   */
  private static OrtEnvironment environment() {
    try {
      return OrtEnvironment.getEnvironment();
    } catch (LinkageError e) {
      throw new ModelUnavailableException(
          "cannot load ONNX Runtime's native library, which is unpacked into "
              + "java.io.tmpdir ("
              + System.getProperty("java.io.tmpdir")
              + "): is it full or read-only? ("
              + e
              + ")",
          e);
    }
  }

  private static void closeQuietly(OrtSession session, Exception cause) {
    if (session != null) {
      try {
        session.close();
      } catch (OrtException suppressed) {
        cause.addSuppressed(suppressed);
      }
    }
  }

  /** The model run by one ONNX Runtime session of this embedder's. */
  private static final class SessionModel extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;

    SessionModel(OnnxBertBiEncoder encoder, Executor executor) {
      super(executor);
      this.encoder = encoder;
    }

    @Override
    protected OnnxBertBiEncoder model() {
      return encoder;
    }

    @Override
    protected Integer knownDimension() {
      return DIMENSION;
    }
  }

  private static InputStream resource(String name) {
    InputStream in =
        AllMiniLmL6V2QuantizedEmbeddingModel.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(name + " is missing from the model's jar");
    }
    return in;
  }

  /** The tokenizer's whole words (word pieces that do not continue a word), from its JSON. */
  private static Set<String> wholeWords(byte[] tokenizer) {
    try {
      Set<String> out = new HashSet<>();
      new ObjectMapper()
          .readTree(tokenizer)
          .path("model")
          .path("vocab")
          .fieldNames()
          .forEachRemaining(
              piece -> {
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
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close the model's session: " + e.getMessage(), e);
    }
  }
}
