package dev.magpie.learn.search;

import dev.magpie.learn.HeldOut;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Queries with graded judgements, in the Home Depot TSV formats: queries {@code query_id<TAB>text},
 * qrels {@code query_id<TAB>item_id<TAB>rating}. Queries without judgements are dropped.
 *
 * @param queries the judged queries, in file order
 */
public record JudgedQueries(List<JudgedQuery> queries) {
  /**
   * One query and its judgements.
   *
   * @param id the query id
   * @param text the query text
   * @param judgements external item id to mean rating
   */
  public record JudgedQuery(String id, String text, Map<String, Double> judgements) {}

  /** The queries that training with {@code fraction} held out did not see. */
  public JudgedQueries heldOut(double fraction) {
    return new JudgedQueries(
        queries.stream().filter(q -> HeldOut.heldOut(q.id(), fraction)).toList());
  }

  /** Reads both files; a malformed line is an error naming file and line. */
  public static JudgedQueries read(Path queriesFile, Path qrelsFile) throws IOException {
    Map<String, Map<String, Double>> qrels = new LinkedHashMap<>();
    forEachLine(
        qrelsFile,
        3,
        (fields, line) -> {
          double rating;
          try {
            rating = Double.parseDouble(fields[2].strip());
          } catch (NumberFormatException e) {
            throw new IOException(
                qrelsFile + ":" + line + ": rating '" + fields[2] + "' is not a number");
          }
          qrels
              .computeIfAbsent(fields[0].strip(), k -> new LinkedHashMap<>())
              .put(fields[1].strip(), rating);
        });
    List<JudgedQuery> queries = new ArrayList<>();
    forEachLine(
        queriesFile,
        2,
        (fields, line) -> {
          Map<String, Double> judged = qrels.get(fields[0].strip());
          if (judged != null) {
            queries.add(new JudgedQuery(fields[0].strip(), fields[1], judged));
          }
        });
    return new JudgedQueries(List.copyOf(queries));
  }

  private interface LineHandler {
    void handle(String[] fields, long line) throws IOException;
  }

  private static void forEachLine(Path file, int columns, LineHandler handler) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long line = 0;
      for (String text; (text = in.readLine()) != null; ) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        String[] fields = text.split("\t", -1);
        if (fields.length < columns) {
          throw new IOException(
              file + ":" + line + ": " + fields.length + " columns, expected " + columns);
        }
        handler.handle(fields, line);
      }
    }
  }
}
