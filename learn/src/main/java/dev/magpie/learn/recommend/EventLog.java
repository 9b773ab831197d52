package dev.magpie.learn.recommend;

import dev.magpie.engine.behaviour.Event;
import dev.magpie.engine.behaviour.Interactions;
import dev.magpie.engine.catalog.Rejection;
import dev.magpie.ingest.events.EventFormat;
import dev.magpie.ingest.events.EventReader;
import dev.magpie.ingest.events.EventSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An event log read for evaluation, its items numbered in the order first met (after those of an
 * item file, when one is given), with the bad events that were skipped.
 *
 * @param interactions the log over item ordinals
 * @param itemIds external id of each ordinal
 * @param labels each item's labels (genres, category path levels), empty when unknown
 * @param rejected the bad events
 */
public record EventLog(
    Interactions interactions,
    List<String> itemIds,
    List<List<String>> labels,
    List<Rejection> rejected) {

  /**
   * Reads {@code events} in {@code format}, with item labels from {@code items} (null for none).
   */
  public static EventLog read(Path events, EventFormat format, ItemLabels items)
      throws IOException {
    Map<String, Integer> ordinals = new HashMap<>();
    List<String> ids = new ArrayList<>();
    List<List<String>> labels = new ArrayList<>();
    if (items != null) {
      for (Map.Entry<String, List<String>> e : items.labels().entrySet()) {
        ordinals.put(e.getKey(), ids.size());
        ids.add(e.getKey());
        labels.add(e.getValue());
      }
    }
    List<Event> read = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    new EventReader(format)
        .read(
            events,
            new EventSink() {
              @Override
              public void accept(Event event, String source, long line) {
                read.add(event);
              }

              @Override
              public void reject(Rejection rejection) {
                rejected.add(rejection);
              }
            });
    for (Event e : read) {
      if (!ordinals.containsKey(e.item())) {
        ordinals.put(e.item(), ids.size());
        ids.add(e.item());
        labels.add(List.of());
      }
    }
    Interactions.Builder log = new Interactions.Builder(ids.size());
    for (Event e : read) {
      log.add(e, ordinals.get(e.item()));
    }
    return new EventLog(log.build(), ids, labels, rejected);
  }
}
