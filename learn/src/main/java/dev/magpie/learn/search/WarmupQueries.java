package dev.magpie.learn.search;

import dev.magpie.engine.snapshot.ItemStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Queries an evaluation runs before timing, none of them a query it times: warming up on the timed
 * queries would time their second run, with their terms' postings, their query vectors and the JIT
 * paths they take already hot. From a file (another split's queries, e.g. training queries) or made
 * from the catalog: the first words of titles spread evenly over it.
 */
public final class WarmupQueries {
  /** Words a query made from a title keeps. */
  static final int TITLE_WORDS = 3;

  private WarmupQueries() {}

  /**
   * Up to {@code count} queries made from the titles of {@code items}, spread evenly over the
   * catalog (the same ones run to run), leaving out any text in {@code timed}.
   */
  public static List<String> fromCatalog(ItemStore items, int count, Set<String> timed) {
    Set<String> excluded = normalized(timed);
    Set<String> seen = new HashSet<>();
    List<String> out = new ArrayList<>();
    int size = items.size();
    if (size == 0 || count <= 0) {
      return out;
    }
    long step = Math.max(1, size / count);
    for (long at = 0; at < size && out.size() < count; at += step) {
      String[] words = items.title((int) at).strip().split("\\s+");
      String query =
          String.join(" ", List.of(words).subList(0, Math.min(TITLE_WORDS, words.length)));
      String key = query.toLowerCase(Locale.ROOT);
      if (!query.isBlank() && !excluded.contains(key) && seen.add(key)) {
        out.add(query);
      }
    }
    return out;
  }

  /**
   * Up to {@code count} queries from {@code file} (TSV: id, then the query; the layout of a queries
   * file), leaving out any text in {@code timed}.
   *
   * @throws IOException naming the file and line of a line without a query
   */
  public static List<String> fromFile(Path file, int count, Set<String> timed) throws IOException {
    Set<String> excluded = normalized(timed);
    List<String> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long line = 0;
      for (String text; out.size() < count && (text = in.readLine()) != null; ) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        String[] fields = text.split("\t", -1);
        if (fields.length < 2 || fields[1].isBlank()) {
          throw new IOException(file + ":" + line + ": expected an id, a tab and a query");
        }
        if (!excluded.contains(fields[1].strip().toLowerCase(Locale.ROOT))) {
          out.add(fields[1]);
        }
      }
    }
    return out;
  }

  private static Set<String> normalized(Set<String> texts) {
    Set<String> out = new HashSet<>();
    for (String t : texts) {
      out.add(t.strip().toLowerCase(Locale.ROOT));
    }
    return out;
  }
}
