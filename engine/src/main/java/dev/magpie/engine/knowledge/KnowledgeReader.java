package dev.magpie.engine.knowledge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads an operator's knowledge file (JSON). Every problem is reported with the JSON path of the
 * bad value, so a file is either read whole or refused with a message saying where to look.
 *
 * <pre>
 * {"version": 1,
 *  "categories": ["Home &gt; Kitchen &gt; Knives", ...],
 *  "relations": [{"from": "...", "to": "...", "type": "complement", "weight": 0.9}, ...],
 *  "occasions": [{"name": "camping trip", "categories": ["...", ...]}, ...],
 *  "synonyms": [["sneakers", "running shoes", "trainers"], ...],
 *  "rewrites": [{"from": "coffee machine", "to": "coffee maker"}, ...]}
 * </pre>
 */
public final class KnowledgeReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> RELATION_TYPES = Set.of("complement", "substitute");
  private static final int MAX_PHRASE_CHARS = 200;

  private KnowledgeReader() {}

  /**
   * Reads knowledge from {@code in}.
   *
   * @param source the file's name, for messages
   * @throws IOException naming the source and the JSON path of the first bad value
   */
  public static Knowledge read(InputStream in, String source) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(in);
    } catch (JsonProcessingException e) {
      throw new IOException(source + ": not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (root == null || !root.isObject()) {
      throw new IOException(source + ": expected a JSON object");
    }
    int version = root.path("version").asInt(1);
    if (version != 1) {
      throw new IOException(source + ": version " + version + ", this build reads version 1");
    }
    List<String> categories = strings(root.path("categories"), "categories", source);
    List<Knowledge.Relation> relations = new ArrayList<>();
    JsonNode rel = array(root.path("relations"), "relations", source);
    for (int i = 0; i < rel.size(); i++) {
      JsonNode r = rel.get(i);
      String at = "relations[" + i + "]";
      String type = text(r, "type", at, source);
      if (!RELATION_TYPES.contains(type)) {
        throw new IOException(
            source + ": " + at + ".type '" + type + "' is not one of " + RELATION_TYPES);
      }
      double weight = r.path("weight").asDouble(1.0);
      if (!(weight >= 0 && weight <= 1)) {
        throw new IOException(
            source + ": " + at + ".weight " + r.path("weight") + " is not from 0 to 1");
      }
      relations.add(
          new Knowledge.Relation(
              text(r, "from", at, source), text(r, "to", at, source), type, weight));
    }
    List<Knowledge.Occasion> occasions = new ArrayList<>();
    JsonNode occ = array(root.path("occasions"), "occasions", source);
    for (int i = 0; i < occ.size(); i++) {
      String at = "occasions[" + i + "]";
      occasions.add(
          new Knowledge.Occasion(
              text(occ.get(i), "name", at, source),
              strings(occ.get(i).path("categories"), at + ".categories", source)));
    }
    List<List<String>> synonyms = new ArrayList<>();
    JsonNode syn = array(root.path("synonyms"), "synonyms", source);
    for (int i = 0; i < syn.size(); i++) {
      List<String> group = strings(syn.get(i), "synonyms[" + i + "]", source);
      if (group.size() < 2) {
        throw new IOException(source + ": synonyms[" + i + "] needs at least two phrases");
      }
      synonyms.add(group);
    }
    List<Knowledge.Rewrite> rewrites = new ArrayList<>();
    JsonNode rw = array(root.path("rewrites"), "rewrites", source);
    for (int i = 0; i < rw.size(); i++) {
      String at = "rewrites[" + i + "]";
      rewrites.add(
          new Knowledge.Rewrite(
              text(rw.get(i), "from", at, source), text(rw.get(i), "to", at, source)));
    }
    return new Knowledge(categories, relations, occasions, synonyms, rewrites);
  }

  private static JsonNode array(JsonNode node, String at, String source) throws IOException {
    if (node.isMissingNode() || node.isNull()) {
      return JSON.createArrayNode();
    }
    if (!node.isArray()) {
      throw new IOException(source + ": " + at + " must be an array");
    }
    return node;
  }

  private static List<String> strings(JsonNode node, String at, String source) throws IOException {
    List<String> out = new ArrayList<>();
    JsonNode array = array(node, at, source);
    for (int i = 0; i < array.size(); i++) {
      out.add(phrase(array.get(i), at + "[" + i + "]", source));
    }
    return out;
  }

  private static String text(JsonNode node, String field, String at, String source)
      throws IOException {
    return phrase(node.path(field), at + "." + field, source);
  }

  private static String phrase(JsonNode node, String at, String source) throws IOException {
    if (!node.isTextual() || node.asText().isBlank()) {
      throw new IOException(source + ": " + at + " must be a non-empty string, got " + node);
    }
    String text = node.asText().strip();
    if (text.length() > MAX_PHRASE_CHARS) {
      throw new IOException(
          source + ": " + at + " is " + text.length() + " characters, at most " + MAX_PHRASE_CHARS);
    }
    return text;
  }
}
