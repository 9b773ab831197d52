package dev.magpie.ingest.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.magpie.engine.behaviour.Event;
import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.catalog.CatalogLimits;
import dev.magpie.engine.catalog.InvalidFieldException;
import dev.magpie.engine.catalog.RejectReason;
import dev.magpie.engine.catalog.Rejection;
import dev.magpie.engine.catalog.Utf8;
import dev.magpie.ingest.input.DelimitedFields;
import dev.magpie.ingest.input.LineReader;
import dev.magpie.ingest.input.Utf8Decoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one event log, line by line, handing each valid event to a sink and reporting each bad one
 * (file, line, field, value, reason) without losing the others. Generic logs are CSV with a header
 * naming the columns (user_id, item_id, event, timestamp, optional session and rating; common
 * aliases accepted) or JSONL with the same keys, told apart by the first character. Timestamps are
 * epoch seconds, epoch milliseconds (13 digits) or ISO-8601 instants. Not thread-safe.
 */
public final class EventReader {
  private static final JsonFactory JSON = new JsonFactory();

  /** Epoch values above this are milliseconds (it is year 5138 in seconds). */
  private static final long MILLIS_FROM = 100_000_000_000L;

  private static final Map<String, String> ALIASES = aliases();

  /** The generic columns, in the order of {@link #columns}. */
  private static final List<String> COLUMN_NAMES =
      List.of("user", "item", "timestamp", "session", "rating", "event");

  private final EventFormat format;
  private final Utf8Decoder utf8 = new Utf8Decoder();

  /**
   * Generic CSV: the column of each of {@link #COLUMN_NAMES}, -1 when absent; null before the
   * header.
   */
  private int[] columns;

  /** A reader of logs in {@code format}. */
  public EventReader(EventFormat format) {
    this.format = format;
  }

  private static Map<String, String> aliases() {
    Map<String, String> m = new HashMap<>();
    for (String s : List.of("user_id", "user", "userid", "visitorid", "customer_id")) {
      m.put(s, "user");
    }
    for (String s :
        List.of("item_id", "item", "itemid", "product_id", "product", "sku", "movieid")) {
      m.put(s, "item");
    }
    for (String s : List.of("event", "type", "event_type", "behavior", "behaviour", "action")) {
      m.put(s, "event");
    }
    for (String s : List.of("timestamp", "time", "ts", "event_time")) {
      m.put(s, "timestamp");
    }
    for (String s : List.of("session", "session_id", "sessionid")) {
      m.put(s, "session");
    }
    m.put("rating", "rating");
    return Map.copyOf(m);
  }

  /** Reads {@code file}. */
  public void read(Path file, EventSink sink) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      read(in, file.toString(), sink);
    }
  }

  /**
   * Reads {@code in}, naming it {@code source} in rejections.
   *
   * @throws IOException when the stream cannot be read, or a generic CSV header names no user, item
   *     or event column
   */
  public void read(InputStream in, String source, EventSink sink) throws IOException {
    LineReader lines = new LineReader(in, CatalogLimits.MAX_RECORD_BYTES);
    columns = null;
    boolean first = true;
    while (lines.next()) {
      long line = lines.lineNumber();
      if (lines.tooLong()) {
        sink.reject(
            new Rejection(
                source,
                line,
                "row",
                null,
                RejectReason.FIELD_TOO_LONG,
                "the line is longer than " + CatalogLimits.MAX_RECORD_BYTES + " bytes"));
        continue;
      }
      String text;
      try {
        text = utf8.decode(lines.bytes(), 0, lines.length());
      } catch (InvalidFieldException e) {
        sink.reject(Rejection.of(source, line, e));
        continue;
      }
      if (text.isBlank()) {
        continue;
      }
      try {
        if (first && header(text, source, line)) {
          first = false;
          continue;
        }
        first = false;
        sink.accept(parse(text), source, line);
      } catch (InvalidFieldException e) {
        sink.reject(Rejection.of(source, line, e));
      }
    }
  }

  /**
   * Whether {@code text}, the first line ({@code line} of {@code source}), is a header (and reads
   * the column names from it).
   */
  private boolean header(String text, String source, long line)
      throws IOException, InvalidFieldException {
    switch (format) {
      case TAOBAO:
        return false;
      case MOVIELENS:
        return text.toLowerCase(Locale.ROOT).startsWith("userid");
      default:
        if (text.startsWith("{")) {
          return false;
        }
        List<String> names = split(text);
        int[] mapped = {-1, -1, -1, -1, -1, -1};
        for (int i = 0; i < names.size(); i++) {
          String field = ALIASES.get(names.get(i).strip().toLowerCase(Locale.ROOT));
          if (field != null) {
            mapped[COLUMN_NAMES.indexOf(field)] = i;
          }
        }
        if (mapped[0] < 0 || mapped[1] < 0 || mapped[2] < 0 || mapped[5] < 0 && mapped[4] < 0) {
          String shown = names.toString();
          throw new IOException(
              source
                  + ":"
                  + line
                  + ": the event log's header "
                  + (shown.length() > 200 ? shown.substring(0, 200) + "...]" : shown)
                  + " must name user_id, item_id, timestamp and event (or rating) columns");
        }
        columns = mapped;
        return true;
    }
  }

  private Event parse(String text) throws InvalidFieldException {
    if (format == EventFormat.GENERIC && text.startsWith("{")) {
      return parseJson(text);
    }
    List<String> f = split(text);
    return switch (format) {
      case TAOBAO -> {
        expectColumns(f, 5);
        yield event(f.get(0), f.get(1), f.get(3), f.get(4), null, null);
      }
      case MOVIELENS -> {
        expectColumns(f, 4);
        yield event(f.get(0), f.get(1), "rating", f.get(3), null, f.get(2));
      }
      case GENERIC -> {
        if (columns == null) {
          throw new InvalidFieldException(
              "row", null, RejectReason.MALFORMED, "a CSV event log needs a header line");
        }
        int needed = 0;
        for (int c : columns) {
          needed = Math.max(needed, c + 1);
        }
        if (f.size() < needed) {
          throw new InvalidFieldException(
              "row",
              null,
              RejectReason.MALFORMED,
              "row has " + f.size() + " columns, the header " + needed);
        }
        String rating = columns[4] >= 0 ? f.get(columns[4]) : null;
        String type = columns[5] >= 0 ? f.get(columns[5]) : "rating";
        yield event(
            f.get(columns[0]),
            f.get(columns[1]),
            type,
            f.get(columns[2]),
            columns[3] >= 0 ? f.get(columns[3]) : null,
            rating);
      }
    };
  }

  private Event parseJson(String text) throws InvalidFieldException {
    Map<String, String> values = new HashMap<>();
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidFieldException("row", null, RejectReason.MALFORMED, "not a JSON object");
      }
      for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
        String field = ALIASES.get(p.currentName().toLowerCase(Locale.ROOT));
        JsonToken value = p.nextToken();
        if (value.isStructStart()) {
          p.skipChildren();
        } else if (field != null && value != JsonToken.VALUE_NULL) {
          values.put(field, p.getText());
        }
      }
    } catch (IOException e) {
      throw new InvalidFieldException(
          "row",
          null,
          RejectReason.MALFORMED,
          "bad JSON: "
              + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
    return event(
        values.get("user"),
        values.get("item"),
        values.getOrDefault("event", values.containsKey("rating") ? "rating" : null),
        values.get("timestamp"),
        values.get("session"),
        values.get("rating"));
  }

  private static void expectColumns(List<String> f, int n) throws InvalidFieldException {
    if (f.size() != n) {
      throw new InvalidFieldException(
          "row", null, RejectReason.MALFORMED, "row has " + f.size() + " columns, expected " + n);
    }
  }

  private static Event event(
      String user, String item, String type, String time, String session, String rating)
      throws InvalidFieldException {
    String u = required("user_id", user);
    String i = required("item_id", item);
    String t = required("event", type);
    EventType eventType;
    try {
      eventType = EventType.parse(t);
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException("event", t, RejectReason.BAD_EVENT_TYPE, e.getMessage());
    }
    long seconds = timestamp(required("timestamp", time));
    float stars = Float.NaN;
    if (eventType == EventType.RATING) {
      String r = required("rating", rating);
      try {
        stars = Float.parseFloat(r);
      } catch (NumberFormatException e) {
        stars = Float.NaN;
      }
      if (!(stars >= 0 && stars <= 5)) {
        throw new InvalidFieldException(
            "rating", r, RejectReason.BAD_RATING, "a rating must be a number from 0 to 5");
      }
    }
    String s = session == null || session.isBlank() ? null : session.strip();
    return new Event(u, i, eventType, seconds, s, stars);
  }

  private static String required(String field, String value) throws InvalidFieldException {
    if (value == null || value.isBlank()) {
      throw new InvalidFieldException(
          field, value, RejectReason.MISSING_FIELD, field + " is missing");
    }
    String v = value.strip();
    if (Utf8.encodedLength(v) > CatalogLimits.MAX_ID_BYTES) {
      throw new InvalidFieldException(
          field,
          v,
          RejectReason.FIELD_TOO_LONG,
          field + " is longer than " + CatalogLimits.MAX_ID_BYTES + " bytes");
    }
    return v;
  }

  /** Epoch seconds from epoch seconds, epoch milliseconds or an ISO-8601 instant. */
  static long timestamp(String value) throws InvalidFieldException {
    // A lone "-" is no number (found by ParserFuzzTest: it escaped as NumberFormatException and
    // ended the whole load instead of rejecting the row).
    boolean digits = !value.isEmpty() && !value.equals("-");
    for (int i = 0; i < value.length() && digits; i++) {
      digits = Character.isDigit(value.charAt(i)) || i == 0 && value.charAt(i) == '-';
    }
    if (digits && value.length() <= 18) {
      long v = Long.parseLong(value);
      if (v < 0) {
        throw new InvalidFieldException(
            "timestamp", value, RejectReason.BAD_TIMESTAMP, "the time is before 1970");
      }
      return v >= MILLIS_FROM ? v / 1000 : v;
    }
    try {
      return Instant.parse(value).getEpochSecond();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(value.replace(' ', 'T')).toEpochSecond(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        throw new InvalidFieldException(
            "timestamp",
            value,
            RejectReason.BAD_TIMESTAMP,
            "expected epoch seconds, epoch milliseconds or an ISO-8601 time such as 2024-05-01T12:00:00Z");
      }
    }
  }

  private static List<String> split(String line) throws InvalidFieldException {
    return DelimitedFields.split(line, ',', true);
  }
}
