package dev.magpie.mcp;

import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.RecommendRequest;
import dev.magpie.api.v1.RecommendResponse;
import java.util.List;

/**
 * {@code recommend}: products for a shopper, from their history, the products in view or in the
 * cart, and an occasion; each with the reasons an agent can quote.
 */
final class RecommendTool implements CatalogTool {
  static final String NAME = "recommend";

  private static final ToolDefinition DEFINITION =
      new ToolDefinition(
          NAME,
          """
            Recommend products to a shopper: from what they did before (user), the products they \
            look at or have in the cart (context_ids) and an occasion ("camping trip"). Call it for \
            "what else would I need?" or a personal selection; for a basket that must reach an \
            amount, call complete_basket instead. The list mixes categories and brands unless \
            diversity is turned off, and says why each product is there.""",
          """
            {
              "type": "object",
              "properties": {
                "user": {"type": "string", "description": "The shopper's id; leave out for an anonymous shopper."},
                "context_ids": {"type": "array", "items": {"type": "string"}, "maxItems": 100,
                  "description": "Products on screen or in the cart, by id."},
                "occasion": {"type": "string", "description": "What the shopper prepares for, in a few words ('camping trip')."},
                "filters": %s,
                "diversity": {"type": "boolean", "default": true,
                  "description": "false: plain ranking, without spreading over brands and categories."},
                "limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10}
              }
            }"""
              .formatted(FilterArguments.SCHEMA));

  @Override
  public ToolDefinition definition() {
    return DEFINITION;
  }

  @Override
  public ToolAnswer call(ToolArguments arguments, MagpieGrpc.MagpieBlockingStub magpie) {
    String user = arguments.optionalText("user");
    List<String> context = arguments.texts("context_ids", 100);
    String occasion = arguments.optionalText("occasion");
    RecommendResponse response =
        magpie.recommend(
            RecommendRequest.newBuilder()
                .setUser(user == null ? "" : user)
                .addAllContext(context)
                .setOccasion(occasion == null ? "" : occasion)
                .setK(arguments.integer("limit", 10, 1, 50))
                .setFilters(FilterArguments.read(arguments.object("filters")))
                .setNoDiversity(!arguments.flag("diversity", true))
                .build());
    return SearchCatalogTool.recommended("recommend", context, response);
  }
}
