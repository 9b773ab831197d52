package dev.magpie.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magpie.cli.MagpieMain;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.testing.ChildJvm;
import dev.magpie.engine.testing.TestSnapshots;
import dev.magpie.server.ApiKeys;
import dev.magpie.server.MagpieServer;
import dev.magpie.server.ServerConfig;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code magpie mcp} over stdio as a desktop agent runs it: a process of its own started by the MCP
 * SDK's client, in front of a real server over loopback (with its API key) or of a snapshot served
 * in that process.
 */
class McpStdioTest {
  private static final String KEY = "desktop-agent-0123456789";

  @TempDir Path dir;

  private List<Item> items() {
    List<Item> items = new ArrayList<>();
    items.add(
        TestSnapshots.item(
            "tent-1", "two person dome tent", "Alp", "Outdoor > Tents", 19_900, 3, Map.of()));
    items.add(
        TestSnapshots.item(
            "tent-2",
            "ultralight backpacking tent",
            "Trek",
            "Outdoor > Tents",
            34_900,
            1,
            Map.of()));
    items.add(
        TestSnapshots.item(
            "mat-1", "sleeping mat", "Alp", "Outdoor > Sleeping", 4_900, 8, Map.of()));
    return items;
  }

  private static McpSyncClient client(String... mcpArgs) {
    List<String> command = new ArrayList<>(ChildJvm.command(MagpieMain.class, "mcp"));
    command.addAll(List.of(mcpArgs));
    ServerParameters process =
        ServerParameters.builder(command.getFirst())
            .args(command.subList(1, command.size()))
            .build();
    McpSyncClient client =
        McpClient.sync(
                new StdioClientTransport(process, new JacksonMcpJsonMapper(new ObjectMapper())))
            .requestTimeout(Duration.ofSeconds(60))
            .initializationTimeout(Duration.ofSeconds(60))
            .build();
    client.initialize();
    return client;
  }

  private static McpSchema.CallToolRequest call(String tool, Map<String, Object> arguments) {
    return McpSchema.CallToolRequest.builder(tool).arguments(arguments).build();
  }

  private static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().getFirst()).text();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> ids(McpSchema.CallToolResult result) {
    List<Map<String, Object>> items =
        (List<Map<String, Object>>) ((Map<String, Object>) result.structuredContent()).get("items");
    return items.stream().map(i -> i.get("id")).toList();
  }

  @Test
  void inFrontOfARunningServerWithItsKey() throws Exception {
    Path keys = Files.writeString(dir.resolve("keys.tsv"), "desktop\tread\t" + KEY + "\n");
    try (MagpieServer server =
            MagpieServer.start(
                TestSnapshots.build(dir.resolve("s"), items()),
                ServerConfig.builder().host("127.0.0.1").port(0).keys(ApiKeys.read(keys)).build());
        McpSyncClient client = client("--server", "127.0.0.1:" + server.port(), "--key", KEY)) {
      assertEquals(6, client.listTools().tools().size());
      McpSchema.CallToolResult result =
          client.callTool(
              call(
                  "search_catalog",
                  Map.of("query", "tent", "filters", Map.of("brands", List.of("Trek")))));
      assertFalse(result.isError(), text(result));
      assertEquals(List.of("tent-2"), ids(result), text(result));
    }
  }

  @Test
  void inFrontOfASnapshotServedInItsOwnProcess() throws Exception {
    TestSnapshots.build(dir.resolve("s"), items()).close();
    try (McpSyncClient client = client("--snapshot", dir.resolve("s").toString())) {
      McpSchema.CallToolResult result =
          client.callTool(call("lookup_catalog", Map.of("ids", List.of("mat-1", "tent-1"))));
      assertFalse(result.isError(), text(result));
      assertEquals(List.of("mat-1", "tent-1"), ids(result));
      assertTrue(text(result).contains("sleeping mat [mat-1] 49.00 USD, in stock"), text(result));
    }
  }
}
