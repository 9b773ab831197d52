package dev.magpie.ingest.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * One catalog input: a file (gzip-compressed when its name ends in .gz) or a named stream such as a
 * bundled resource.
 */
public interface CatalogSource {
  /** The name rejections and the manifest use. */
  String name();

  /** The name from which the format is inferred. */
  Path nameForFormat();

  /** Size in bytes if known (for progress), else -1. */
  long size();

  /** Opens the bytes to read. */
  InputStream open() throws IOException;

  /** The file on disk, or null for a stream (formats that need random access require one). */
  default Path path() {
    return null;
  }

  /** A file on disk. */
  static CatalogSource file(Path path) {
    return new CatalogSource() {
      @Override
      public String name() {
        return path.toString();
      }

      @Override
      public Path nameForFormat() {
        return path;
      }

      @Override
      public long size() {
        try {
          return path.toString().endsWith(".gz") ? -1 : Files.size(path);
        } catch (IOException e) {
          return -1;
        }
      }

      @Override
      public Path path() {
        return path;
      }

      @Override
      public InputStream open() throws IOException {
        InputStream in = Files.newInputStream(path);
        return path.toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
      }
    };
  }

  /** A stream opened on demand, named {@code name}. */
  static CatalogSource stream(String name, long size, StreamOpener opener) {
    return new CatalogSource() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Path nameForFormat() {
        return Path.of(name);
      }

      @Override
      public long size() {
        return size;
      }

      @Override
      public InputStream open() throws IOException {
        return opener.open();
      }
    };
  }

  /** Opens a stream. */
  @FunctionalInterface
  interface StreamOpener {
    /** Opens it. */
    InputStream open() throws IOException;
  }
}
