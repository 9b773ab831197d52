package dev.magpie.engine.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.io.FileOps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * What a snapshot version holds, written last so that its presence means the version is complete:
 * the format version, counts, build parameters, and the length and CRC32C of every file. The
 * manifest checksums itself: {@code checksum} is the CRC32C of the compact JSON of every other
 * field, in the order written.
 *
 * <pre>
 *  {
 *    "format": "magpie-snapshot", "formatVersion": 1, "version": 3,
 *    "createdAt": "2026-11-22T05:00:00Z", "itemCount": 54667, "vectorDimension": 0,
 *    "counts": { "brands": 0, ... },
 *    "build": { "source": "products.tsv", ... },
 *    "files": [ { "path": "items/ids.str", "length": 123, "crc32c": "0a1b2c3d" }, ... ],
 *    "checksum": "crc32c:5e6f7a8b"
 *  }
 * </pre>
 *
 * @param version the snapshot's version number
 * @param createdAt when it was built, ISO-8601
 * @param itemCount number of items
 * @param vectorDimension dimension of the catalog's own vectors, 0 when it has none
 * @param counts other counts (brands, categories, ...)
 * @param build build parameters and provenance, as text
 * @param files every file of the version but the manifest
 */
public record Manifest(
    int version,
    String createdAt,
    long itemCount,
    int vectorDimension,
    Map<String, Long> counts,
    Map<String, String> build,
    List<FileEntry> files) {

  /** The format identifier. */
  public static final String FORMAT = "magpie-snapshot";

  /** Snapshot format version this build writes and reads (2: adds the text index). */
  public static final int FORMAT_VERSION = 2;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Makes the maps and list immutable copies, keeping their order. */
  public Manifest {
    counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    build = Collections.unmodifiableMap(new LinkedHashMap<>(build));
    files = List.copyOf(files);
  }

  /**
   * One file of a version.
   *
   * @param path relative to the version directory, with '/' separators
   * @param length in bytes
   * @param checksum the checksum stored in the file's footer
   * @param algorithm {@link #CRC32C} for Magpie's files, {@link #LUCENE_CRC32} for Lucene's
   */
  public record FileEntry(String path, long length, long checksum, String algorithm) {
    /** Magpie's files: CRC32C, stored little-endian in the last 8 bytes. */
    public static final String CRC32C = "crc32c";

    /** Lucene's files: CRC32, stored big-endian in the last 8 bytes (CodecUtil footer). */
    public static final String LUCENE_CRC32 = "lucene-crc32";

    /** Small self-checksummed JSON files: CRC32C of the whole file, kept only in the manifest. */
    public static final String WHOLE_FILE_CRC32C = "file-crc32c";

    /** Checks the algorithm is known. */
    public FileEntry {
      if (!algorithm.equals(CRC32C)
          && !algorithm.equals(LUCENE_CRC32)
          && !algorithm.equals(WHOLE_FILE_CRC32C)) {
        throw new IllegalArgumentException(
            "unknown checksum algorithm '" + algorithm + "' for " + path);
      }
    }
  }

  /** The entry for {@code path}, or null. */
  public FileEntry file(String path) {
    for (FileEntry f : files) {
      if (f.path().equals(path)) {
        return f;
      }
    }
    return null;
  }

  /** Total bytes of the version's files, manifest excluded. */
  public long totalBytes() {
    long total = 0;
    for (FileEntry f : files) {
      total += f.length();
    }
    return total;
  }

  /** Writes the manifest to {@code path} (which must not exist) and forces it to disk. */
  public void write(Path path) throws IOException {
    write(path, FileOps.DEFAULT);
  }

  /** As {@link #write(Path)}, forcing it through {@code ops}. */
  public void write(Path path, FileOps ops) throws IOException {
    ObjectNode root = toJson();
    root.put("checksum", checksumText(root));
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    Files.write(path, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    ops.fsyncFile(path);
  }

  /**
   * Reads and verifies a manifest.
   *
   * @throws NoSuchFileException if there is none (the version is incomplete)
   * @throws CorruptFileException if it is not valid JSON, fails its checksum, or is of another
   *     format
   */
  public static Manifest read(Path path) throws IOException {
    byte[] bytes = Files.readAllBytes(path);
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new CorruptFileException(path, "not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (!(node instanceof ObjectNode root)) {
      throw new CorruptFileException(path, "not a JSON object");
    }
    JsonNode stored = root.remove("checksum");
    if (stored == null || !stored.isTextual()) {
      throw new CorruptFileException(path, "no checksum field");
    }
    String computed = checksumText(root);
    if (!computed.equals(stored.asText())) {
      throw new CorruptFileException(
          path, "checksum mismatch: stored " + stored.asText() + ", computed " + computed);
    }
    if (!FORMAT.equals(root.path("format").asText())) {
      throw new CorruptFileException(
          path, "format '" + root.path("format").asText() + "', expected '" + FORMAT + "'");
    }
    int formatVersion = root.path("formatVersion").asInt(-1);
    if (formatVersion != FORMAT_VERSION) {
      throw new CorruptFileException(
          path,
          "snapshot format version " + formatVersion + ", this build reads " + FORMAT_VERSION);
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.path("counts").properties()) {
      counts.put(e.getKey(), e.getValue().asLong());
    }
    Map<String, String> build = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.path("build").properties()) {
      build.put(e.getKey(), e.getValue().asText());
    }
    List<FileEntry> files = new ArrayList<>();
    for (JsonNode f : root.path("files")) {
      String algorithm =
          f.has(FileEntry.LUCENE_CRC32)
              ? FileEntry.LUCENE_CRC32
              : f.has(FileEntry.WHOLE_FILE_CRC32C) ? FileEntry.WHOLE_FILE_CRC32C : FileEntry.CRC32C;
      try {
        files.add(
            new FileEntry(
                f.path("path").asText(),
                f.path("length").asLong(),
                Long.parseUnsignedLong(f.path(algorithm).asText("0"), 16),
                algorithm));
      } catch (IllegalArgumentException e) {
        throw new CorruptFileException(path, "bad file entry " + f + ": " + e.getMessage());
      }
    }
    return new Manifest(
        root.path("version").asInt(),
        root.path("createdAt").asText(),
        root.path("itemCount").asLong(),
        root.path("vectorDimension").asInt(),
        counts,
        build,
        files);
  }

  /** The manifest as pretty JSON, checksum included, for display. */
  public String toPrettyJson() {
    ObjectNode root = toJson();
    try {
      root.put("checksum", checksumText(root));
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("formatVersion", FORMAT_VERSION);
    root.put("version", version);
    root.put("createdAt", createdAt);
    root.put("itemCount", itemCount);
    root.put("vectorDimension", vectorDimension);
    ObjectNode c = root.putObject("counts");
    counts.forEach(c::put);
    ObjectNode b = root.putObject("build");
    build.forEach(b::put);
    ArrayNode f = root.putArray("files");
    for (FileEntry file : files) {
      f.addObject()
          .put("path", file.path())
          .put("length", file.length())
          .put(file.algorithm(), String.format("%08x", file.checksum()));
    }
    return root;
  }

  private static String checksumText(ObjectNode withoutChecksum) throws JsonProcessingException {
    CRC32C crc = new CRC32C();
    crc.update(JSON.writeValueAsString(withoutChecksum).getBytes(StandardCharsets.UTF_8));
    return String.format("crc32c:%08x", crc.getValue());
  }
}
