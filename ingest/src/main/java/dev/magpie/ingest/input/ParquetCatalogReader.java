package dev.magpie.ingest.input;

import dev.magpie.engine.catalog.InvalidFieldException;
import dev.magpie.engine.catalog.RejectReason;
import dev.magpie.engine.catalog.Rejection;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads Parquet catalogs through DuckDB's embedded engine (JDBC, in memory, no server). Columns are
 * named as in {@link CatalogField}; other scalar columns become attributes. Typed values are taken
 * exactly: DECIMAL prices as decimals, DOUBLE prices by their shortest decimal text, LIST columns
 * as vectors or category segments, a MAP column as the attributes. Rows are numbered from 1 in
 * rejections. A file DuckDB cannot read at all (truncated footer, not Parquet) fails the load with
 * its message.
 */
public final class ParquetCatalogReader extends CatalogReader {
  private static final long PROGRESS_EVERY_ROWS = 10_000;

  /** A reader with these options. */
  public ParquetCatalogReader(CatalogReadOptions options) {
    super(options);
  }

  @Override
  public void read(CatalogSource source, CatalogSink sink) throws IOException {
    Path path = source.path();
    if (path == null) {
      throw new IOException(source.name() + ": Parquet is read from a file, not a stream");
    }
    String literal = "'" + path.toAbsolutePath().toString().replace("'", "''") + "'";
    long fileSize = Files.size(path);
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      long total;
      try (ResultSet count =
          statement.executeQuery("SELECT count(*) FROM read_parquet(" + literal + ")")) {
        count.next();
        total = Math.max(1, count.getLong(1));
      }
      try (ResultSet rows = statement.executeQuery("SELECT * FROM read_parquet(" + literal + ")")) {
        ResultSetMetaData meta = rows.getMetaData();
        int columns = meta.getColumnCount();
        CatalogField[] fields = new CatalogField[columns + 1];
        String[] names = new String[columns + 1];
        for (int c = 1; c <= columns; c++) {
          names[c] = meta.getColumnName(c);
          fields[c] = CatalogField.byName(names[c]);
        }
        long row = 0;
        while (rows.next()) {
          row++;
          builder.reset();
          try {
            for (int c = 1; c <= columns; c++) {
              Object value = rows.getObject(c);
              if (value != null) {
                set(fields[c], names[c], value);
              }
            }
          } catch (InvalidFieldException e) {
            sink.reject(Rejection.of(source.name(), row, e));
            continue;
          }
          emit(sink, source.name(), row);
          if (row % PROGRESS_EVERY_ROWS == 0) {
            sink.progress(fileSize * row / total);
          }
        }
        sink.progress(fileSize);
      }
    } catch (SQLException e) {
      throw new IOException(source.name() + ": cannot read Parquet: " + e.getMessage(), e);
    }
  }

  private void set(CatalogField field, String column, Object value)
      throws InvalidFieldException, SQLException {
    if (field == null) {
      if (isScalar(value)) {
        builder.attribute(column, text(scalar(value)));
      }
      return;
    }
    switch (field) {
      case VECTOR -> builder.vector(vector(value));
      case CATEGORY -> {
        if (value instanceof Array array) {
          List<String> segments = new ArrayList<>();
          for (Object o : (Object[]) array.getArray()) {
            segments.add(o == null ? "" : text(o.toString()));
          }
          builder.categorySegments(segments);
        } else {
          set(field, scalar(value));
        }
      }
      case ATTRIBUTES -> {
        if (!(value instanceof Map<?, ?> map)) {
          throw new InvalidFieldException(
              column,
              value.toString(),
              RejectReason.BAD_ATTRIBUTE,
              "attributes must be a MAP column");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (e.getValue() != null) {
            builder.attribute(String.valueOf(e.getKey()), text(scalar(e.getValue())));
          }
        }
      }
      default -> set(field, scalar(value));
    }
  }

  private static boolean isScalar(Object value) {
    return value instanceof CharSequence || value instanceof Number || value instanceof Boolean;
  }

  /** A scalar's text: decimals exactly, doubles by their shortest round-tripping decimal. */
  private static String scalar(Object value) {
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof Double d) {
      return BigDecimal.valueOf(d).toPlainString();
    }
    if (value instanceof Float f) {
      return new BigDecimal(Float.toString(f)).toPlainString();
    }
    return value.toString();
  }

  private static float[] vector(Object value) throws InvalidFieldException, SQLException {
    if (value instanceof Array array) {
      Object[] elements = (Object[]) array.getArray();
      float[] v = new float[elements.length];
      for (int i = 0; i < v.length; i++) {
        if (!(elements[i] instanceof Number n)) {
          throw new InvalidFieldException(
              "vector",
              String.valueOf(elements[i]),
              RejectReason.BAD_VECTOR,
              "vector element " + i + " is not a number");
        }
        v[i] = n.floatValue();
      }
      return v;
    }
    if (value instanceof CharSequence text) {
      return VectorText.parse(text.toString());
    }
    throw new InvalidFieldException(
        "vector", value.toString(), RejectReason.BAD_VECTOR, "vector must be a LIST of numbers");
  }
}
