package dev.magpie.mcp;

import java.util.Map;

/**
 * What a tool answers: a short summary a model can read or quote, and the structured content (items
 * with their ids, prices, availability and why each was chosen).
 *
 * @param summary a few lines of text
 * @param content the structured content, a JSON object
 */
record ToolAnswer(String summary, Map<String, Object> content) {}
