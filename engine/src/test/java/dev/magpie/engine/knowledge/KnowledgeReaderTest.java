package dev.magpie.engine.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magpie.engine.io.CorruptFileException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeReaderTest {
  private static Knowledge read(String json) throws IOException {
    return KnowledgeReader.read(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "k.json");
  }

  private static void refused(String json, String message) {
    IOException e = assertThrows(IOException.class, () -> read(json));
    assertTrue(
        e.getMessage().startsWith("k.json: ") && e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void readsEverySection() throws IOException {
    Knowledge k =
        read(
            """
        {"version": 1, "categories": ["Home > Kitchen"],
         "relations": [{"from": "Phones", "to": "Cases", "type": "complement", "weight": 0.9}],
         "occasions": [{"name": "camping trip", "categories": ["Tents"]}],
         "synonyms": [["sneakers", "running shoes"]],
         "rewrites": [{"from": "coffee machine", "to": "coffee maker"}]}""");
    assertEquals(List.of("Home > Kitchen"), k.categories());
    assertEquals(
        new Knowledge.Relation("Phones", "Cases", "complement", 0.9), k.relations().getFirst());
    assertEquals("camping trip", k.occasions().getFirst().name());
    assertEquals(List.of(List.of("sneakers", "running shoes")), k.synonyms());
    assertEquals(new Knowledge.Rewrite("coffee machine", "coffee maker"), k.rewrites().getFirst());
    assertEquals(Knowledge.EMPTY, read("{}"));
  }

  @Test
  void badValuesAreRefusedNamingTheirPath() {
    refused("[1]", "expected a JSON object");
    refused("{\"version\": 2}", "version 2, this build reads version 1");
    refused(
        "{\"relations\": [{\"from\": \"a\", \"to\": \"b\", \"type\": \"sibling\"}]}",
        "relations[0].type 'sibling'");
    refused(
        "{\"relations\": [{\"from\": \"a\", \"to\": \"b\", \"type\": \"complement\", \"weight\": 2}]}",
        "relations[0].weight 2 is not from 0 to 1");
    refused("{\"synonyms\": [[\"alone\"]]}", "synonyms[0] needs at least two phrases");
    refused(
        "{\"rewrites\": [{\"from\": \"\", \"to\": \"x\"}]}",
        "rewrites[0].from must be a non-empty string");
    refused(
        "{\"occasions\": [{\"name\": \"x\", \"categories\": \"Tents\"}]}",
        "occasions[0].categories must be an array");
    refused("{not json", "not valid JSON");
  }

  @Test
  void storedKnowledgeRoundTripsAndDamageIsRefused(@TempDir Path dir) throws IOException {
    Knowledge k =
        read(
            "{\"synonyms\": [[\"a\", \"b c\"]], \"rewrites\": [{\"from\": \"x\", \"to\": \"y\"}]}");
    Path file = dir.resolve(KnowledgeFile.PATH);
    KnowledgeFile.write(file, k);
    assertEquals(k, KnowledgeFile.read(file));
    Files.writeString(file, Files.readString(file).replace("\"b c\"", "\"b d\""));
    CorruptFileException e =
        assertThrows(CorruptFileException.class, () -> KnowledgeFile.read(file));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
  }
}
