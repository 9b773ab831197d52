package dev.magpie.ingest.input;

import java.nio.file.Path;
import java.util.Locale;

/** Catalog file formats the loader reads. */
public enum CatalogFormat {
  /** JSON Lines: one JSON object per line. */
  JSONL,
  /** Comma-separated values, RFC 4180 quoting (fields may span lines inside quotes). */
  CSV,
  /** Tab-separated values, no quoting (a tab or newline cannot occur inside a field). */
  TSV,
  /**
   * Apache Parquet, read through DuckDB; a file on disk (not a stream), columns named as fields.
   */
  PARQUET;

  /** The format a file name implies (.jsonl/.ndjson/.json, .csv, .tsv/.tab, .parquet), or null. */
  public static CatalogFormat fromFileName(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
      return JSONL;
    }
    if (name.endsWith(".csv")) {
      return CSV;
    }
    if (name.endsWith(".tsv") || name.endsWith(".tab")) {
      return TSV;
    }
    if (name.endsWith(".parquet") || name.endsWith(".pq")) {
      return PARQUET;
    }
    return null;
  }
}
