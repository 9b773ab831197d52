package dev.magpie.ingest.input;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.catalog.Rejection;
import java.io.IOException;

/** Receives what a catalog reader produces: valid items and rejected rows, in file order. */
public interface CatalogSink {
  /**
   * A valid item read from {@code line} of {@code source}.
   *
   * @return whether it was accepted; false when the sink rejected it itself (a duplicate id)
   */
  boolean accept(Item item, String source, long line) throws IOException;

  /** A row that could not be read or failed validation. */
  void reject(Rejection rejection) throws IOException;

  /** Called now and then with the bytes consumed so far, for progress. */
  default void progress(long bytesRead) {}
}
