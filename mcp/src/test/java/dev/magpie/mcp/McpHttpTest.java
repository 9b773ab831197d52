package dev.magpie.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.testing.TestSnapshots;
import dev.magpie.server.ApiKeys;
import dev.magpie.server.MagpieServer;
import dev.magpie.server.ServerConfig;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MCP front over stateless Streamable HTTP, driven by the MCP SDK's own client, in front of the
 * real server over loopback with API keys: the agent's bearer token reaches the server.
 */
class McpHttpTest {
  private static final String READ_KEY = "agent-key-0123456789abcdef";

  @TempDir static Path dir;
  private static MagpieServer server;
  private static MagpieCalls calls;
  private static McpFront.Http front;

  @BeforeAll
  static void start() throws Exception {
    List<Item> items = new ArrayList<>();
    items.add(
        TestSnapshots.item(
            "boot-1",
            "waterproof hiking boots",
            "Trek",
            "Shoes > Boots",
            12_999,
            4,
            Map.of("waterproof", "yes")));
    items.add(
        TestSnapshots.item(
            "boot-2",
            "leather hiking boots",
            "Alp",
            "Shoes > Boots",
            15_999,
            0,
            Map.of("waterproof", "no")));
    items.add(
        TestSnapshots.item(
            "sock-1", "wool hiking socks", "Trek", "Shoes > Socks", 1_499, 20, Map.of()));
    items.add(TestSnapshots.item("lace-1", "boot laces", "Alp", "Shoes > Care", 499, 50, Map.of()));
    items.add(
        TestSnapshots.item(
            "wax-1", "boot wax for leather", "Alp", "Shoes > Care", 899, 10, Map.of()));
    Path keys = Files.writeString(dir.resolve("keys.tsv"), "agent\tread\t" + READ_KEY + "\n");
    server =
        MagpieServer.start(
            TestSnapshots.build(dir.resolve("s"), items),
            ServerConfig.builder().host("127.0.0.1").port(0).keys(ApiKeys.read(keys)).build());
    calls = MagpieCalls.to("127.0.0.1", server.port(), Duration.ofSeconds(10));
    front = McpFront.http(new CatalogTools(calls), "127.0.0.1", 0);
  }

  @AfterAll
  static void stop() throws Exception {
    if (front != null) {
      front.close();
    }
    if (calls != null) {
      calls.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static McpSyncClient client(String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder();
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    McpSyncClient client =
        McpClient.sync(
                HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + front.port())
                    .endpoint(McpFront.ENDPOINT)
                    .jsonMapper(new JacksonMcpJsonMapper(new ObjectMapper()))
                    .requestBuilder(request)
                    .build())
            .requestTimeout(Duration.ofSeconds(20))
            .build();
    client.initialize();
    return client;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> items(McpSchema.CallToolResult result, String field) {
    return (List<Map<String, Object>>)
        ((Map<String, Object>) result.structuredContent()).get(field);
  }

  private static McpSchema.CallToolRequest call(String tool, Map<String, Object> arguments) {
    return McpSchema.CallToolRequest.builder(tool).arguments(arguments).build();
  }

  private static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().getFirst()).text();
  }

  @Test
  void listsTheCatalogToolsWithSchemasAndDescriptions() {
    try (McpSyncClient client = client(READ_KEY)) {
      List<McpSchema.Tool> tools = client.listTools().tools();
      assertEquals(
          List.of(
              "search_catalog",
              "lookup_catalog",
              "get_product",
              "compare_products",
              "complete_basket",
              "recommend"),
          tools.stream().map(McpSchema.Tool::name).toList());
      for (McpSchema.Tool tool : tools) {
        assertTrue(tool.description().length() > 100, tool.name() + ": " + tool.description());
        assertEquals("object", tool.inputSchema().get("type"), tool.name());
        assertTrue(tool.annotations().readOnlyHint(), tool.name());
      }
    }
  }

  @Test
  void searchesWithTheAgentsKeyAndAnswersItemsWithPricesAvailabilityAndWhy() {
    try (McpSyncClient client = client(READ_KEY)) {
      McpSchema.CallToolResult result =
          client.callTool(
              call(
                  "search_catalog",
                  Map.of(
                      "query",
                      "hiking boots",
                      "limit",
                      5,
                      "filters",
                      Map.of("price", Map.of("max", 140)))));
      assertFalse(result.isError(), text(result));
      List<Map<String, Object>> found = items(result, "items");
      List<Object> ids = found.stream().map(i -> i.get("id")).toList();
      assertEquals("boot-1", ids.getFirst(), text(result));
      assertFalse(ids.contains("boot-2"), "159.99 is over the price filter: " + ids);
      Map<String, Object> boot = found.getFirst();
      assertEquals(Map.of("amount", 129.99, "currency", "USD"), boot.get("price"));
      assertEquals("in_stock", boot.get("availability"));
      assertFalse(((List<?>) boot.get("why")).isEmpty());
      assertTrue(
          text(result).contains("waterproof hiking boots [boot-1] 129.99 USD"), text(result));
    }
  }

  @Test
  void withoutAKeyTheServerRefusesAndTheToolErrorSaysHowToFixIt() {
    try (McpSyncClient client = client(null)) {
      McpSchema.CallToolResult result =
          client.callTool(call("get_product", Map.of("id", "boot-1")));
      assertTrue(result.isError());
      assertTrue(text(result).contains("Authorization: Bearer KEY"), text(result));
    }
  }

  @Test
  void aBadArgumentIsAToolErrorNamingItAndTheValue() {
    try (McpSyncClient client = client(READ_KEY)) {
      McpSchema.CallToolResult limit =
          client.callTool(call("search_catalog", Map.of("query", "boots", "limit", 500)));
      assertTrue(limit.isError());
      assertEquals("search_catalog: limit must be from 1 to 50 (got 500)", text(limit));
      McpSchema.CallToolResult swap =
          client.callTool(
              call("search_catalog", Map.of("purpose", "swap", "reference_ids", List.of())));
      assertTrue(swap.isError());
      assertTrue(
          text(swap).startsWith("search_catalog: reference_ids must hold exactly one"), text(swap));
      McpSchema.CallToolResult unknown = client.callTool(call("get_product", Map.of("id", "nope")));
      assertTrue(unknown.isError());
      assertEquals(
          "get_product: id is not a product of this catalog: take ids from search_catalog's"
              + " answers (got \"nope\")",
          text(unknown));
    }
  }

  @Test
  void looksUpComparesAndSwaps() {
    try (McpSyncClient client = client(READ_KEY)) {
      McpSchema.CallToolResult lookup =
          client.callTool(call("lookup_catalog", Map.of("ids", List.of("boot-2", "gone"))));
      assertFalse(lookup.isError(), text(lookup));
      assertEquals("out_of_stock", items(lookup, "items").getFirst().get("availability"));
      assertEquals(
          List.of("gone"), ((Map<?, ?>) lookup.structuredContent()).get("missing"), text(lookup));

      McpSchema.CallToolResult compare =
          client.callTool(call("compare_products", Map.of("ids", List.of("boot-1", "boot-2"))));
      assertFalse(compare.isError(), text(compare));
      assertEquals(2, items(compare, "items").size());
      assertTrue(
          items(compare, "rows").stream().anyMatch(r -> "price".equals(r.get("name"))),
          compare.structuredContent().toString());

      McpSchema.CallToolResult swap =
          client.callTool(
              call(
                  "search_catalog",
                  Map.of("purpose", "swap", "reference_ids", List.of("boot-2"), "limit", 3)));
      assertFalse(swap.isError(), text(swap));
      assertFalse(
          items(swap, "items").stream().anyMatch(i -> "boot-2".equals(i.get("id"))),
          "a swap never offers the product it replaces");
    }
  }

  @Test
  void completesABasketAndSaysHowFarTheCartIsFromTheThreshold() {
    try (McpSyncClient client = client(READ_KEY)) {
      McpSchema.CallToolResult result =
          client.callTool(
              call(
                  "complete_basket",
                  Map.of(
                      "cart", List.of(Map.of("id", "boot-1")),
                      "threshold", 140,
                      "cap", 160)));
      assertFalse(result.isError(), text(result));
      Map<?, ?> content = (Map<?, ?>) result.structuredContent();
      assertEquals("USD", content.get("currency"));
      assertEquals(129.99, content.get("cart_total"));
      assertEquals(10.01, content.get("remaining_before"));
      double total = ((Number) content.get("total")).doubleValue();
      assertEquals(Boolean.TRUE.equals(content.get("reached")), total >= 140, text(result));
      assertTrue(total <= 160, text(result));
    }
  }
}
