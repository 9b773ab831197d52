package dev.magpie.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/**
 * The catalog's tools over one {@link MagpieCalls}: their definitions for {@code tools/list}, and
 * each call run with the caller's API key and turned into a tool result. Whatever goes wrong with a
 * call (a bad argument, a refusal by the server, a server that does not answer) comes back as a
 * tool error whose text says what to change, never as a protocol error: the model reads tool errors
 * and can correct its call. Thread-safe.
 */
public final class CatalogTools {
  /** The tools, in the order tools/list gives them. */
  static final List<CatalogTool> ALL =
      List.of(
          new SearchCatalogTool(),
          new LookupCatalogTool(),
          new GetProductTool(),
          new CompareProductsTool(),
          new CompleteBasketTool(),
          new RecommendTool());

  private final MagpieCalls calls;
  private final McpJsonMapper json;

  /** The tools calling through {@code calls}. */
  public CatalogTools(MagpieCalls calls) {
    this.calls = calls;
    this.json = new JacksonMcpJsonMapper(new ObjectMapper());
  }

  /** The JSON mapper the transports use. */
  McpJsonMapper json() {
    return json;
  }

  /** The definition of {@code tool} as tools/list shows it. */
  McpSchema.Tool definition(CatalogTool tool) {
    ToolDefinition definition = tool.definition();
    return McpSchema.Tool.builder(definition.name(), json, definition.inputSchema())
        .description(definition.description())
        .annotations(new McpSchema.ToolAnnotations(null, true, false, true, false, null))
        .build();
  }

  /**
   * Runs {@code tool} with {@code arguments}, sending {@code apiKey} (null: none) to the server.
   */
  McpSchema.CallToolResult call(CatalogTool tool, Map<String, Object> arguments, String apiKey) {
    try {
      ToolAnswer answer =
          tool.call(new ToolArguments(tool.definition().name(), arguments), calls.stub(apiKey));
      return McpSchema.CallToolResult.builder()
          .addTextContent(answer.summary())
          .structuredContent(answer.content())
          .isError(false)
          .build();
    } catch (BadToolCall e) {
      return error(e.getMessage());
    } catch (StatusRuntimeException e) {
      return error(refusal(tool.definition().name(), e.getStatus()));
    }
  }

  /** A server's refusal in words that say what the agent can do about it. */
  static String refusal(String tool, Status status) {
    String said = status.getDescription() == null ? "" : status.getDescription();
    return switch (status.getCode()) {
      case INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, OUT_OF_RANGE ->
          tool
              + ": the catalog refused the call: "
              + said
              + ". Change what it names and call again.";
      case RESOURCE_EXHAUSTED ->
          tool + ": Magpie is at capacity (" + said + "). Wait a moment and call again.";
      case UNAUTHENTICATED, PERMISSION_DENIED ->
          tool
              + ": not allowed: "
              + said
              + ". The MCP client needs a Magpie API key with the read role (HTTP: 'Authorization:"
              + " Bearer KEY'; stdio: magpie mcp --key).";
      case DEADLINE_EXCEEDED, UNAVAILABLE ->
          tool + ": Magpie did not answer in time (" + status.getCode() + "). Try again shortly.";
      default -> tool + ": Magpie failed: " + status.getCode() + " " + said;
    };
  }

  private static McpSchema.CallToolResult error(String message) {
    return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
  }
}
