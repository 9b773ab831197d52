package dev.magpie.engine.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.magpie.engine.io.ChecksummedFileWriter;
import dev.magpie.engine.io.CorruptFileException;
import dev.magpie.engine.io.FileOps;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Knowledge as a snapshot stores it, {@code knowledge/knowledge.json}: the operator's content
 * normalised, wrapped with a format tag, a version and the CRC32C of the content's compact JSON.
 *
 * <pre>
 *  {"format": "magpie-knowledge", "formatVersion": 1, "knowledge": { ...as KnowledgeReader reads... },
 *   "checksum": "crc32c:5e6f7a8b"}
 * </pre>
 */
public final class KnowledgeFile {
  /** Where a snapshot version keeps it. */
  public static final String PATH = "knowledge/knowledge.json";

  /** Format tag. */
  public static final String FORMAT = "magpie-knowledge";

  /** Format version. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private KnowledgeFile() {}

  /**
   * Writes {@code knowledge} to {@code file} (which must not exist) and forces it to disk.
   *
   * @return the file's length and the CRC32C of all its bytes, as the manifest records them
   */
  public static ChecksummedFileWriter.WrittenFile write(Path file, Knowledge knowledge)
      throws IOException {
    ObjectNode content = toJson(knowledge);
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("formatVersion", FORMAT_VERSION);
    root.set("knowledge", content);
    root.put("checksum", checksum(content));
    Files.createDirectories(file.getParent());
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    FileOps.DEFAULT.fsyncFile(file);
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    return new ChecksummedFileWriter.WrittenFile(file, bytes.length, crc.getValue());
  }

  /** Reads and verifies a stored knowledge file. */
  public static Knowledge read(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new CorruptFileException(file, "unreadable (" + e.getMessage() + ")");
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new CorruptFileException(file, "not a " + FORMAT + " file");
    }
    if (root.path("formatVersion").asInt() != FORMAT_VERSION) {
      throw new CorruptFileException(
          file,
          "format version " + root.path("formatVersion") + ", this build reads " + FORMAT_VERSION);
    }
    JsonNode content = root.path("knowledge");
    String stored = root.path("checksum").asText();
    String computed = checksum(content);
    if (!computed.equals(stored)) {
      throw new CorruptFileException(
          file, "checksum mismatch: stored " + stored + ", computed " + computed);
    }
    return KnowledgeReader.read(
        new ByteArrayInputStream(JSON.writeValueAsBytes(content)), file.toString());
  }

  private static String checksum(JsonNode content) throws IOException {
    CRC32C crc = new CRC32C();
    crc.update(JSON.writeValueAsString(content).getBytes(StandardCharsets.UTF_8));
    return String.format("crc32c:%08x", crc.getValue());
  }

  private static ObjectNode toJson(Knowledge k) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", 1);
    strings(root.putArray("categories"), k.categories());
    ArrayNode relations = root.putArray("relations");
    for (Knowledge.Relation r : k.relations()) {
      relations
          .addObject()
          .put("from", r.from())
          .put("to", r.to())
          .put("type", r.type())
          .put("weight", r.weight());
    }
    ArrayNode occasions = root.putArray("occasions");
    for (Knowledge.Occasion o : k.occasions()) {
      ObjectNode node = occasions.addObject().put("name", o.name());
      strings(node.putArray("categories"), o.categories());
    }
    ArrayNode synonyms = root.putArray("synonyms");
    for (List<String> group : k.synonyms()) {
      strings(synonyms.addArray(), group);
    }
    ArrayNode rewrites = root.putArray("rewrites");
    for (Knowledge.Rewrite r : k.rewrites()) {
      rewrites.addObject().put("from", r.from()).put("to", r.to());
    }
    return root;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
