package dev.magpie.cli.query;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table: a header, rows, columns padded to their widest cell (cut at a maximum). */
final class TextTable {
  private final List<String[]> rows = new ArrayList<>();
  private final int maxWidth;

  /** A table with {@code header}, cells cut at {@code maxWidth} characters. */
  TextTable(int maxWidth, String... header) {
    this.maxWidth = maxWidth;
    rows.add(header);
  }

  /** Adds a row (as many cells as the header). */
  TextTable row(String... cells) {
    rows.add(cells);
    return this;
  }

  /** Prints the table. */
  void print(PrintWriter out) {
    int columns = rows.getFirst().length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], cut(row[c]).length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        String cell = cut(row[c]);
        line.append(cell);
        if (c < columns - 1) {
          line.append(" ".repeat(widths[c] - cell.length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private String cut(String s) {
    String oneLine = s == null ? "" : s.replace('\n', ' ').replace('\t', ' ');
    return oneLine.length() <= maxWidth ? oneLine : oneLine.substring(0, maxWidth - 1) + "…";
  }
}
