package dev.magpie.mcp;

import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.GetItemsResponse;
import dev.magpie.api.v1.Item;
import dev.magpie.api.v1.MagpieGrpc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lookup_catalog}: products by id, as the catalog holds them now (price, stock), with the
 * ids it does not hold listed apart.
 */
final class LookupCatalogTool implements CatalogTool {
  static final String NAME = "lookup_catalog";
  static final int MAX_IDS = 50;

  private static final ToolDefinition DEFINITION =
      new ToolDefinition(
          NAME,
          """
            Look products up by id: their current title, brand, category, price, availability, \
            rating and attributes. Call it to refresh what you know of products from an earlier \
            answer (prices and stock change) or to read several at once; ids the catalog does not \
            hold are listed under "missing".""",
          """
            {
              "type": "object",
              "properties": {
                "ids": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": %d,
                  "description": "Product ids, as earlier answers gave them."}
              },
              "required": ["ids"]
            }"""
              .formatted(MAX_IDS));

  @Override
  public ToolDefinition definition() {
    return DEFINITION;
  }

  @Override
  public ToolAnswer call(ToolArguments arguments, MagpieGrpc.MagpieBlockingStub magpie) {
    List<String> ids = arguments.texts("ids", MAX_IDS);
    if (ids.isEmpty()) {
      throw arguments.bad("ids", arguments.has("ids") ? "[]" : null, "needs 1 to 50 product ids");
    }
    GetItemsResponse response =
        magpie.getItems(GetItemsRequest.newBuilder().addAllIds(ids).build());
    return answer(response);
  }

  static ToolAnswer answer(GetItemsResponse response) {
    List<Map<String, Object>> items = new ArrayList<>();
    StringBuilder summary = new StringBuilder();
    int rank = 1;
    for (Item item : response.getItemsList()) {
      items.add(ItemViews.of(item, List.of()));
      Summaries.item(summary, rank++, item);
    }
    if (response.getMissingCount() > 0) {
      summary
          .append("Not in the catalog: ")
          .append(String.join(", ", response.getMissingList()))
          .append('\n');
    }
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("items", items);
    content.put("missing", response.getMissingList());
    return new ToolAnswer(summary.toString().strip(), content);
  }
}
