package dev.magpie.mcp;

import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.GetItemsResponse;
import dev.magpie.api.v1.Item;
import dev.magpie.api.v1.MagpieGrpc;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code get_product}: one product's full record, description included. */
final class GetProductTool implements CatalogTool {
  static final String NAME = "get_product";

  private static final ToolDefinition DEFINITION =
      new ToolDefinition(
          NAME,
          """
            Read one product in full: everything lookup_catalog gives plus its description. Call it \
            before answering a shopper's detailed question about a product (materials, sizes, what \
            is included).""",
          """
            {
              "type": "object",
              "properties": {
                "id": {"type": "string", "description": "The product's id, as an earlier answer gave it."}
              },
              "required": ["id"]
            }""");

  @Override
  public ToolDefinition definition() {
    return DEFINITION;
  }

  @Override
  public ToolAnswer call(ToolArguments arguments, MagpieGrpc.MagpieBlockingStub magpie) {
    String id = arguments.text("id");
    GetItemsResponse response = magpie.getItems(GetItemsRequest.newBuilder().addIds(id).build());
    if (response.getItemsCount() == 0) {
      throw arguments.bad(
          "id", id, "is not a product of this catalog: take ids from search_catalog's answers");
    }
    Item item = response.getItems(0);
    Map<String, Object> product = ItemViews.of(item, List.of());
    if (!item.getDescription().isEmpty()) {
      product.put("description", item.getDescription());
    }
    StringBuilder summary = new StringBuilder();
    Summaries.item(summary, 1, item);
    if (!item.getDescription().isEmpty()) {
      summary.append(item.getDescription());
    }
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("product", product);
    return new ToolAnswer(summary.toString().strip(), content);
  }
}
