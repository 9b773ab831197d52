package dev.magpie.ingest.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.behaviour.Event;
import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.catalog.RejectReason;
import dev.magpie.engine.catalog.Rejection;
import dev.magpie.samples.SampleData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventReaderTest {
  private final List<Event> events = new ArrayList<>();
  private final List<Rejection> rejected = new ArrayList<>();
  private final EventSink sink =
      new EventSink() {
        @Override
        public void accept(Event event, String source, long line) {
          events.add(event);
        }

        @Override
        public void reject(Rejection rejection) {
          rejected.add(rejection);
        }
      };

  private void read(EventFormat format, String text) throws IOException {
    new EventReader(format)
        .read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "log", sink);
  }

  @Test
  void genericCsvWithAliasesAndEveryTimeFormat() throws IOException {
    read(
        EventFormat.GENERIC,
        """
        visitorid,timestamp,event,itemid,session_id
        u1,1700000000,view,i1,s1
        u1,1700000000123,addtocart,i1,s1
        u2,2024-05-01T12:00:00Z,transaction,i2,
        """);
    assertEquals(List.of(), rejected);
    assertEquals(
        new Event("u1", "i1", EventType.VIEW, 1_700_000_000L, "s1", Float.NaN), events.get(0));
    assertEquals(EventType.CART, events.get(1).type());
    assertEquals(1_700_000_000L, events.get(1).timestamp(), "milliseconds become seconds");
    assertEquals(1_714_564_800L, events.get(2).timestamp());
    assertEquals(null, events.get(2).session());
  }

  @Test
  void badEventsAreReportedWithFieldValueAndLineAndTheRestKept() throws IOException {
    read(
        EventFormat.GENERIC,
        """
        user_id,item_id,event,timestamp
        u1,i1,view,100
        u1,i1,teleport,100
        u1,,view,100
        u1,i2,buy,yesterday
        u1,i2,buy
        u1,i3,buy,200
        u1,i4,buy,-
        """);
    assertEquals(2, events.size());
    assertEquals(5, rejected.size());
    assertEquals(
        "log:3: event 'teleport': unknown event type 'teleport': expected view (pv, click), fav, cart, buy"
            + " (purchase) or rating [BAD_EVENT_TYPE]",
        rejected.get(0).toString());
    assertEquals(RejectReason.MISSING_FIELD, rejected.get(1).reason());
    assertEquals("item_id", rejected.get(1).field());
    assertEquals(RejectReason.BAD_TIMESTAMP, rejected.get(2).reason());
    assertEquals("yesterday", rejected.get(2).value());
    assertEquals(6, rejected.get(3).line());
    assertEquals(RejectReason.MALFORMED, rejected.get(3).reason());
    // Found by ParserFuzzTest: a lone "-" escaped as NumberFormatException and ended the load.
    assertEquals(RejectReason.BAD_TIMESTAMP, rejected.get(4).reason());
    assertEquals("-", rejected.get(4).value());
  }

  @Test
  void jsonlTaobaoAndMovieLens() throws IOException {
    read(
        EventFormat.GENERIC,
        """
        {"user_id": "u1", "item_id": 7, "event": "purchase", "timestamp": 100, "extra": {"a": 1}}
        {"user_id": "u1", "item_id": 8, "event": "view"}
        {"user_id": "u1", "item_id": 9, "rating": 4.5, "timestamp": 100}
        """);
    assertEquals(2, events.size());
    assertEquals(EventType.BUY, events.get(0).type());
    assertEquals("7", events.get(0).item());
    assertEquals(4.5f, events.get(1).rating());
    assertEquals("timestamp", rejected.getFirst().field());
    events.clear();
    read(
        EventFormat.TAOBAO,
        "1,2268318,2520377,pv,1511544070\n1,2333346,2520771,fav,1511561733\n1,2,3,bogus,1\n");
    assertEquals(List.of(EventType.VIEW, EventType.FAV), events.stream().map(Event::type).toList());
    assertEquals(RejectReason.BAD_EVENT_TYPE, rejected.getLast().reason());
    events.clear();
    read(
        EventFormat.MOVIELENS,
        "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,3,7,964981247\n");
    assertEquals(List.of(new Event("1", "1", EventType.RATING, 964_982_703L, null, 4f)), events);
    assertEquals("rating", rejected.getLast().field());
    assertEquals(RejectReason.BAD_RATING, rejected.getLast().reason());
  }

  @Test
  void aHeaderWithoutTheNeededColumnsIsRefused() {
    IOException e =
        assertThrows(IOException.class, () -> read(EventFormat.GENERIC, "who,what\nu,i\n"));
    assertTrue(
        e.getMessage().contains("must name user_id, item_id, timestamp and event"), e.getMessage());
  }

  @Test
  void theBundledSampleLogReadsCleanly() throws IOException {
    try (InputStream in = SampleData.open(SampleData.EVENTS)) {
      new EventReader(EventFormat.GENERIC).read(in, "events.csv", sink);
    }
    assertEquals(List.of(), rejected);
    assertTrue(events.size() > 1000, "events: " + events.size());
  }

  @Test
  void theRealLogsReadWhereTheyArePresent() throws IOException {
    String root = System.getProperty("magpie.repo.root", System.getProperty("user.dir") + "/..");
    Path taobao = Path.of(root).resolve("../shared/data/taobao-sample/events.csv").normalize();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.exists(taobao), "no " + taobao + ": skipped");
    new EventReader(EventFormat.TAOBAO).read(taobao, sink);
    assertEquals(List.of(), rejected);
    assertEquals(4321, events.size());
  }
}
