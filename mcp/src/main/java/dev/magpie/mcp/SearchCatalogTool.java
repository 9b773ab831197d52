package dev.magpie.mcp;

import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.RecommendRequest;
import dev.magpie.api.v1.RecommendResponse;
import dev.magpie.api.v1.Recommendation;
import dev.magpie.api.v1.ScorePart;
import dev.magpie.api.v1.SearchHit;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.SearchResponse;
import dev.magpie.api.v1.SimilarItemsRequest;
import dev.magpie.api.v1.Understood;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code search_catalog}: the Universal Commerce Protocol's catalog search, with its purposes:
 * {@code search} (a shopper's words: hybrid search, reranked), {@code recommendation} (items that
 * go with the reference items, for this shopper) and {@code swap} (alternatives to one reference
 * item).
 */
final class SearchCatalogTool implements CatalogTool {
  static final String NAME = "search_catalog";
  static final int DEFAULT_LIMIT = 10;
  static final int MAX_LIMIT = 50;

  private static final ToolDefinition DEFINITION =
      new ToolDefinition(
          NAME,
          """
            Find products in the catalog. Call it whenever the shopper describes what they want \
            ("waterproof hiking boots under $150"), asks for ideas that go with products they have \
            (purpose "recommendation" with reference_ids), or wants something instead of a product \
            (purpose "swap" with one reference id). Constraints written in the query (a price, a \
            brand, a colour) are understood and applied; put the ones the shopper chose explicitly in \
            filters. Each item comes with its id (for get_product, compare_products, complete_basket), \
            price, availability and why it was chosen. Rankings contain no paid placement: sponsored \
            items are marked, never boosted.""",
          """
            {
              "type": "object",
              "properties": {
                "query": {"type": "string", "maxLength": 1000,
                  "description": "What the shopper wants, in their words. Required for purpose 'search'."},
                "purpose": {"type": "string", "enum": ["search", "recommendation", "swap"], "default": "search",
                  "description": "search: match the query. recommendation: items that go with reference_ids (and the user's taste). swap: alternatives to the one item in reference_ids."},
                "reference_ids": {"type": "array", "items": {"type": "string"}, "maxItems": 100,
                  "description": "Product ids the shopper has or looks at (from earlier answers), for recommendation and swap."},
                "user": {"type": "string", "description": "The shopper's id, when known: recommendations follow their history."},
                "filters": %s,
                "limit": {"type": "integer", "minimum": 1, "maximum": %d, "default": %d,
                  "description": "How many products to return."}
              }
            }"""
              .formatted(FilterArguments.SCHEMA, MAX_LIMIT, DEFAULT_LIMIT));

  @Override
  public ToolDefinition definition() {
    return DEFINITION;
  }

  @Override
  public ToolAnswer call(ToolArguments arguments, MagpieGrpc.MagpieBlockingStub magpie) {
    String purpose = arguments.optionalText("purpose");
    purpose = purpose == null ? "search" : purpose.toLowerCase(Locale.ROOT);
    int limit = arguments.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    var filters = FilterArguments.read(arguments.object("filters"));
    List<String> references = arguments.texts("reference_ids", 100);
    return switch (purpose) {
      case "search" -> {
        String query = arguments.text("query");
        SearchResponse response =
            magpie.search(
                SearchRequest.newBuilder().setQuery(query).setK(limit).setFilters(filters).build());
        yield searched(query, response);
      }
      case "recommendation" -> {
        String user = arguments.optionalText("user");
        RecommendResponse response =
            magpie.recommend(
                RecommendRequest.newBuilder()
                    .setUser(user == null ? "" : user)
                    .addAllContext(references)
                    .setK(limit)
                    .setFilters(filters)
                    .build());
        yield recommended("recommendation", references, response);
      }
      case "swap" -> {
        if (references.size() != 1) {
          throw arguments.bad(
              "reference_ids",
              references,
              "must hold exactly one product id for purpose 'swap': the product to replace");
        }
        RecommendResponse response =
            magpie.similarItems(
                SimilarItemsRequest.newBuilder()
                    .setId(references.getFirst())
                    .setK(limit)
                    .setFilters(filters)
                    .build());
        yield recommended("swap", references, response);
      }
      default ->
          throw arguments.bad(
              "purpose", purpose, "must be one of \"search\", \"recommendation\", \"swap\"");
    };
  }

  private static ToolAnswer searched(String query, SearchResponse response) {
    List<Map<String, Object>> items = new ArrayList<>();
    StringBuilder summary = new StringBuilder();
    summary.append(
        String.format(
            Locale.ROOT,
            "%d products for \"%s\"",
            response.getHitsCount(),
            response.getSearchedText()));
    for (Understood u : response.getUnderstoodList()) {
      summary.append(
          String.format(
              Locale.ROOT, "; understood %s \"%s\" as %s", u.getKind(), u.getText(), u.getValue()));
    }
    summary.append(":\n");
    int rank = 1;
    for (SearchHit hit : response.getHitsList()) {
      List<String> why = new ArrayList<>();
      for (ScorePart part : hit.getPartsList()) {
        why.add(String.format(Locale.ROOT, "%s %+.3f", part.getLabel(), part.getValue()));
      }
      if (!hit.getExplanation().isEmpty()) {
        why.add(hit.getExplanation());
      }
      items.add(ItemViews.of(hit.getItem(), why));
      Summaries.item(summary, rank++, hit.getItem());
    }
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("purpose", "search");
    content.put("query", query);
    content.put("searched_text", response.getSearchedText());
    List<Map<String, String>> understood = new ArrayList<>();
    for (Understood u : response.getUnderstoodList()) {
      understood.add(Map.of("kind", u.getKind(), "text", u.getText(), "value", u.getValue()));
    }
    content.put("understood", understood);
    content.put("items", items);
    content.put("ranked_by", response.getModel());
    content.put("notes", response.getNotesList());
    if (response.getDegradedCount() > 0) {
      content.put("degraded", response.getDegradedList());
      summary
          .append("(a lighter search under load: skipped ")
          .append(String.join(", ", response.getDegradedList()))
          .append(")\n");
    }
    Summaries.notes(summary, response.getNotesList());
    return new ToolAnswer(summary.toString().strip(), content);
  }

  /** A recommendation or a swap's answer. */
  static ToolAnswer recommended(
      String purpose, List<String> references, RecommendResponse response) {
    List<Map<String, Object>> items = new ArrayList<>();
    StringBuilder summary = new StringBuilder();
    summary.append(
        String.format(
            Locale.ROOT,
            "%d products (%s%s):\n",
            response.getItemsCount(),
            purpose,
            references.isEmpty() ? "" : " for " + String.join(", ", references)));
    int rank = 1;
    for (Recommendation r : response.getItemsList()) {
      List<String> why = new ArrayList<>(r.getReasonsList());
      if (r.getExploration()) {
        why.add("shown to learn about it: it has little history yet");
      }
      items.add(ItemViews.of(r.getItem(), why));
      Summaries.item(summary, rank++, r.getItem());
      if (r.getReasonsCount() > 0) {
        summary.append("   ").append(r.getReasons(0)).append('\n');
      }
    }
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("purpose", purpose);
    content.put("reference_ids", references);
    content.put("items", items);
    content.put("ranked_by", response.getModel());
    content.put("notes", response.getNotesList());
    Summaries.notes(summary, response.getNotesList());
    return new ToolAnswer(summary.toString().strip(), content);
  }
}
