package dev.magpie.mcp;

import dev.magpie.api.v1.AttributeRow;
import dev.magpie.api.v1.CompareItemsRequest;
import dev.magpie.api.v1.CompareItemsResponse;
import dev.magpie.api.v1.ComparedItem;
import dev.magpie.api.v1.MagpieGrpc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code compare_products}: an aligned table of 2 to 10 products, what sets them apart, and whom
 * each suits.
 */
final class CompareProductsTool implements CatalogTool {
  static final String NAME = "compare_products";

  private static final ToolDefinition DEFINITION =
      new ToolDefinition(
          NAME,
          """
            Compare 2 to 10 products side by side: price, brand, category, rating, stock, each \
            attribute, how often shoppers bought and viewed them, what differs, and whom each one \
            suits ("the budget-minded: the lowest price here"). Call it when the shopper hesitates \
            between products or asks which is better.""",
          """
            {
              "type": "object",
              "properties": {
                "ids": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 10,
                  "description": "The product ids to compare, distinct."},
                "user": {"type": "string", "description": "The shopper's id, when known: their brands and usual spend join 'suits'."}
              },
              "required": ["ids"]
            }""");

  @Override
  public ToolDefinition definition() {
    return DEFINITION;
  }

  @Override
  public ToolAnswer call(ToolArguments arguments, MagpieGrpc.MagpieBlockingStub magpie) {
    List<String> ids = arguments.texts("ids", 10);
    if (ids.size() < 2) {
      throw arguments.bad("ids", ids, "needs 2 to 10 distinct product ids");
    }
    String user = arguments.optionalText("user");
    CompareItemsResponse response =
        magpie.compareItems(
            CompareItemsRequest.newBuilder()
                .addAllIds(ids)
                .setUser(user == null ? "" : user)
                .build());
    List<Map<String, Object>> items = new ArrayList<>();
    StringBuilder summary = new StringBuilder();
    int rank = 1;
    for (ComparedItem c : response.getItemsList()) {
      items.add(ItemViews.of(c.getItem(), c.getSuitsList()));
      Summaries.item(summary, rank++, c.getItem());
      for (String suits : c.getSuitsList()) {
        summary.append("   suits ").append(suits).append('\n');
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (AttributeRow row : response.getRowsList()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("name", row.getName());
      r.put("values", row.getValuesList());
      r.put("differs", row.getDiffers());
      rows.add(r);
    }
    for (String difference : response.getDifferencesList()) {
      summary.append("- ").append(difference).append('\n');
    }
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("items", items);
    content.put("rows", rows);
    content.put("differences", response.getDifferencesList());
    return new ToolAnswer(summary.toString().strip(), content);
  }
}
