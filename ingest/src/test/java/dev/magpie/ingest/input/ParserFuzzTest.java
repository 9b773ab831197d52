package dev.magpie.ingest.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.magpie.engine.behaviour.Event;
import dev.magpie.engine.catalog.CatalogLimits;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.catalog.Rejection;
import dev.magpie.engine.testing.FuzzInputs;
import dev.magpie.engine.testing.LongMode;
import dev.magpie.engine.testing.Seeded;
import dev.magpie.ingest.events.EventFormat;
import dev.magpie.ingest.events.EventReader;
import dev.magpie.ingest.events.EventSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of every text catalog parser (JSONL, CSV, TSV, with a header or given columns, entities
 * decoded or not, one parse thread or two) and of the event log parser in each of its formats. Any
 * bytes are either read, each row loaded or rejected with its line, field and reason, or refused as
 * a whole with an {@link IOException} that names the source; nothing else escapes, and everything
 * loaded is within the catalog's limits. {@code @FuzzTest}s replay the seed corpus in every build
 * and fuzz with {@code JAZZER_FUZZ=1} ({@code scripts/fuzz.sh}); {@link #mutatedSeeds} runs random
 * edits of the seeds every build.
 */
@Seeded
class ParserFuzzTest {
  private static final CatalogFormat[] FORMATS = {
    CatalogFormat.JSONL, CatalogFormat.CSV, CatalogFormat.TSV
  };

  /**
   * The first byte chooses the format; the second the options (bit 0: CSV/TSV columns given, with a
   * header row to skip; bit 1: entities left as they are; bit 2: two parse threads); the rest is
   * the file.
   */
  @FuzzTest(maxDuration = "2m")
  void readsAnyCatalog(byte[] input) {
    CatalogFormat format = FORMATS[input.length > 0 ? (input[0] & 0xFF) % FORMATS.length : 0];
    int flags = input.length > 1 ? input[1] : 0;
    byte[] file = input.length > 2 ? Arrays.copyOfRange(input, 2, input.length) : new byte[0];
    CatalogReadOptions options =
        new CatalogReadOptions(
            "USD",
            (flags & 2) == 0,
            0,
            (flags & 1) != 0 && format != CatalogFormat.JSONL
                ? List.of("id", "title", "price")
                : null,
            (flags & 1) != 0,
            (flags & 4) != 0 ? 2 : 1);
    CollectingSink sink = new CollectingSink();
    try {
      CatalogReader.forFormat(format, options)
          .read(
              CatalogSource.stream(
                  "fuzz." + format, file.length, () -> new ByteArrayInputStream(file)),
              sink);
    } catch (IOException e) {
      assertTrue(
          e.getMessage() != null && e.getMessage().contains("fuzz."),
          "a refusal names the source: " + e);
      return;
    }
    long lines = lines(file);
    for (int i = 0; i < sink.items.size(); i++) {
      Item item = sink.items.get(i);
      assertFalse(item.externalId().isBlank(), item.toString());
      assertTrue(
          item.externalId().getBytes(StandardCharsets.UTF_8).length <= CatalogLimits.MAX_ID_BYTES,
          item.toString());
      assertFalse(item.title().isBlank(), item.toString());
      assertTrue(item.priceMinor() >= -1, item.toString());
      assertTrue(!item.hasVector() || finite(item.vector()), item.toString());
      assertTrue(
          sink.lines.get(i) >= 1 && sink.lines.get(i) <= lines,
          "line " + sink.lines.get(i) + " of " + lines);
    }
    for (Rejection r : sink.rejections) {
      assertTrue(
          r.source().startsWith("fuzz.") && r.reason() != null && r.message() != null,
          r.toString());
      assertTrue(r.line() >= 1 && r.line() <= lines, r + " of " + lines + " lines");
    }
  }

  /**
   * The first byte chooses the format (generic CSV/JSONL, Taobao, MovieLens); the rest is the log.
   */
  @FuzzTest(maxDuration = "2m")
  void readsAnyEventLog(byte[] input) {
    EventFormat format =
        EventFormat.values()[
            input.length > 0 ? (input[0] & 0xFF) % EventFormat.values().length : 0];
    byte[] file = input.length > 1 ? Arrays.copyOfRange(input, 1, input.length) : new byte[0];
    List<Event> events = new ArrayList<>();
    List<Rejection> rejected = new ArrayList<>();
    long[] lastLine = {0};
    try {
      new EventReader(format)
          .read(
              new ByteArrayInputStream(file),
              "fuzz.log",
              new EventSink() {
                @Override
                public void accept(Event event, String source, long line) {
                  assertEquals("fuzz.log", source);
                  assertTrue(line > lastLine[0], "lines in order");
                  lastLine[0] = line;
                  events.add(event);
                }

                @Override
                public void reject(Rejection rejection) {
                  rejected.add(rejection);
                }
              });
    } catch (IOException e) {
      assertTrue(
          e.getMessage() != null && e.getMessage().contains("fuzz.log"),
          "a refusal names the source: " + e);
      return;
    }
    long lines = lines(file);
    assertTrue(lastLine[0] <= lines);
    for (Event event : events) {
      assertFalse(event.user().isEmpty() || event.item().isEmpty(), event.toString());
      assertTrue(Float.isNaN(event.rating()) || Float.isFinite(event.rating()), event.toString());
    }
    for (Rejection r : rejected) {
      assertTrue(
          r.line() >= 1 && r.line() <= lines && r.message() != null, r + " of " + lines + " lines");
    }
  }

  @Test
  void mutatedSeeds(Random random) {
    int runs = LongMode.count("fuzz.mutations", 2_000, 50_000);
    FuzzInputs.run(random, ParserFuzzTest.class, "readsAnyCatalog", runs, this::readsAnyCatalog);
    FuzzInputs.run(random, ParserFuzzTest.class, "readsAnyEventLog", runs, this::readsAnyEventLog);
  }

  /** Lines in {@code file}: line breaks, plus one for a last line without one. */
  private static long lines(byte[] file) {
    long lines = 0;
    for (byte b : file) {
      if (b == '\n') {
        lines++;
      }
    }
    return file.length > 0 && file[file.length - 1] != '\n' ? lines + 1 : lines;
  }

  private static boolean finite(float[] vector) {
    for (float v : vector) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
