package dev.magpie.mcp;

/**
 * What {@code tools/list} says of a tool.
 *
 * @param name its name, as agents call it ("search_catalog")
 * @param description what it does and when to call it, written for a language model
 * @param inputSchema the JSON schema of its arguments
 */
record ToolDefinition(String name, String description, String inputSchema) {}
