package dev.magpie.mcp;

import dev.magpie.api.v1.MagpieGrpc;

/**
 * One MCP tool over the catalog: its name, a description written for a language model (when to call
 * it, what each argument means), its input schema, and the call itself, from the agent's arguments
 * to a {@code magpie.v1} call and back to an answer. Implementations are stateless.
 */
interface CatalogTool {
  /** Its name, description and input schema. */
  ToolDefinition definition();

  /**
   * Runs the call with {@code magpie}.
   *
   * @throws BadToolCall when the arguments cannot make a call; the server's own refusals come back
   *     as {@link io.grpc.StatusRuntimeException}
   */
  ToolAnswer call(ToolArguments arguments, MagpieGrpc.MagpieBlockingStub magpie);
}
