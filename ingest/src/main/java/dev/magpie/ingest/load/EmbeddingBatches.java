package dev.magpie.ingest.load;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.embed.Embedder;
import dev.magpie.engine.embed.ItemText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives items to the snapshot writer with embeddings computed in batches: an item waits until its
 * batch is full (or the catalog ends), then the batch is embedded at once and written in input
 * order. Not thread-safe: the loader's delivery thread calls it.
 */
final class EmbeddingBatches implements AutoCloseable {
  /** Items embedded per model call. */
  static final int BATCH = 64;

  private final Embedder embedder;
  private final ItemTarget writer;
  private final List<Item> pending = new ArrayList<>(BATCH);
  private long embedded;
  private long nanos;

  EmbeddingBatches(Embedder embedder, ItemTarget writer) {
    this.embedder = embedder;
    this.writer = writer;
  }

  /** Queues {@code item}; writes a batch when it is full. */
  void add(Item item) throws IOException {
    pending.add(item);
    if (pending.size() == BATCH) {
      flush();
    }
  }

  /** Embeds and writes every queued item. */
  void flush() throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    List<String> texts = new ArrayList<>(pending.size());
    for (Item item : pending) {
      if (writer.needsVector(item)) {
        texts.add(ItemText.of(item));
      }
    }
    List<float[]> vectors = texts.isEmpty() ? List.of() : embedder.embedAll(texts);
    nanos += System.nanoTime() - start;
    int next = 0;
    for (Item item : pending) {
      writer.add(writer.needsVector(item) ? item.withVector(vectors.get(next++)) : item);
    }
    embedded += texts.size();
    pending.clear();
  }

  /** The model. */
  Embedder embedder() {
    return embedder;
  }

  /** The model's name, for the manifest. */
  String embedderName() {
    return embedder.name();
  }

  /** Items embedded so far. */
  long embedded() {
    return embedded;
  }

  /** Seconds spent in the model. */
  double seconds() {
    return nanos / 1e9;
  }

  /** Items written or queued. */
  long itemCount() {
    return writer.itemCount() + pending.size();
  }

  @Override
  public void close() {
    embedder.close();
  }
}
