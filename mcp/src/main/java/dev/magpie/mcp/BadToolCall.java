package dev.magpie.mcp;

/**
 * A tool call the tools cannot run as given: its message names the argument, the value it got and
 * how to fix the call, and is returned to the agent as a tool error (not a protocol error), so that
 * the model can correct itself and call again.
 */
final class BadToolCall extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BadToolCall(String message) {
    super(message, null, false, false);
  }
}
