package dev.magpie.learn.recommend;

import dev.magpie.engine.catalog.InvalidFieldException;
import dev.magpie.ingest.input.DelimitedFields;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Item labels for diversity: a CSV with a header naming an id column (movieId, item_id, id) and a
 * genres or category column (MovieLens movies.csv: genres split on '|'; a category path split on
 * '>').
 *
 * @param labels item id to its labels, in file order
 */
public record ItemLabels(Map<String, List<String>> labels) {

  /** Reads {@code file}. */
  public static ItemLabels read(Path file) throws IOException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (header == null) {
        throw new IOException(file + " is empty");
      }
      List<String> names =
          Arrays.stream(header.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT)).toList();
      int id = firstOf(names, "movieid", "item_id", "id", "product_id");
      int label = firstOf(names, "genres", "category", "categories");
      if (id < 0 || label < 0) {
        throw new IOException(
            file
                + ": the header "
                + names
                + " needs an id column (movieId, item_id, id) and a"
                + " genres or category column");
      }
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        List<String> f;
        try {
          f = DelimitedFields.split(line, ',', true);
        } catch (InvalidFieldException malformed) {
          continue; // labels only feed the diversity figure: a bad line leaves its item unlabelled
        }
        if (f.size() > Math.max(id, label)) {
          String raw = f.get(label);
          List<String> parts =
              Arrays.stream(raw.split(raw.contains(">") ? ">" : "\\|"))
                  .map(String::strip)
                  .filter(s -> !s.isEmpty() && !s.equals("(no genres listed)"))
                  .toList();
          out.put(f.get(id).strip(), parts);
        }
      }
    }
    return new ItemLabels(out);
  }

  private static int firstOf(List<String> names, String... wanted) {
    for (String w : wanted) {
      if (names.contains(w)) {
        return names.indexOf(w);
      }
    }
    return -1;
  }
}
