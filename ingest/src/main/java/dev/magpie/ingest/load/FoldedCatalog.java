package dev.magpie.ingest.load;

import dev.magpie.engine.behaviour.Event;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.ingest.input.CatalogSink;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A served catalog with the live updates logged since it was built, folded into the input of a new
 * load ({@code magpie load --base}): its items as changed, the items added, its knowledge and the
 * logged events. A load reads it in place of catalog files; nothing is embedded again.
 */
public interface FoldedCatalog {
  /**
   * Sends every item of the base, changed as the updates say and in the base's catalog order, then
   * the items the updates added, by id, to {@code sink}, leaving out withdrawn ones.
   */
  void feed(CatalogSink sink) throws IOException;

  /** The base's knowledge. */
  Knowledge knowledge();

  /** Dimension of the base's vectors (0: none). */
  int vectorDimension();

  /** Events from the updates, oldest first, to add after the event log's own. */
  List<Event> events();

  /** Whether the updates withdrew the item {@code id} (so the fold leaves it out). */
  boolean withdrew(String id);

  /** Build parameters the new snapshot records of the fold. */
  Map<String, String> buildParameters();
}
