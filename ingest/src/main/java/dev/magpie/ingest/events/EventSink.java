package dev.magpie.ingest.events;

import dev.magpie.engine.behaviour.Event;
import dev.magpie.engine.catalog.Rejection;

/** Receives what an {@link EventReader} reads, in file order. */
public interface EventSink {
  /** A valid event, read from line {@code line} of {@code source}. */
  void accept(Event event, String source, long line);

  /** An event that was skipped, and why. */
  void reject(Rejection rejection);
}
