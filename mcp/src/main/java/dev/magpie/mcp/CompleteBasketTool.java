package dev.magpie.mcp;

import dev.magpie.api.v1.BasketItem;
import dev.magpie.api.v1.CartLine;
import dev.magpie.api.v1.CompleteBasketRequest;
import dev.magpie.api.v1.CompleteBasketResponse;
import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.GetItemsResponse;
import dev.magpie.api.v1.MagpieGrpc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code complete_basket}: products to add so that a cart reaches an amount (a coupon's or free
 * shipping's threshold) without passing a cap, and how far the cart is from the threshold, before
 * and after (as the Universal Commerce Protocol's approaching_discount tells it).
 */
final class CompleteBasketTool implements CatalogTool {
  static final String NAME = "complete_basket";

  private static final ToolDefinition DEFINITION =
      new ToolDefinition(
          NAME,
          """
            Suggest products to add to a cart so that its total reaches a threshold (a coupon, free \
            shipping) without passing an optional cap: products that go with what is in the cart, \
            cheapest first, with why each fits. Also says how far the cart is from the threshold now \
            and after the additions. Amounts are in currency units (140 or 140.00, not cents).""",
          """
            {
              "type": "object",
              "properties": {
                "cart": {"type": "array", "minItems": 1, "maxItems": 100,
                  "description": "The cart's lines.",
                  "items": {"type": "object", "properties": {
                    "id": {"type": "string", "description": "A product id."},
                    "quantity": {"type": "integer", "minimum": 1, "maximum": 999, "default": 1}
                  }, "required": ["id"]}},
                "threshold": {"type": "number", "exclusiveMinimum": 0,
                  "description": "The total to reach, in the cart's currency."},
                "cap": {"type": "number", "description": "The total not to pass; at least the threshold. Leave out for no cap."},
                "currency": {"type": "string", "description": "ISO 4217 code of threshold and cap; the cart's when left out."},
                "user": {"type": "string", "description": "The shopper's id, when known: their taste shapes the choice."},
                "max_items": {"type": "integer", "minimum": 1, "maximum": 5, "default": 3,
                  "description": "At most this many products to add."}
              },
              "required": ["cart", "threshold"]
            }""");

  @Override
  public ToolDefinition definition() {
    return DEFINITION;
  }

  @Override
  public ToolAnswer call(ToolArguments arguments, MagpieGrpc.MagpieBlockingStub magpie) {
    List<ToolArguments> lines = arguments.objects("cart", 100);
    if (lines.isEmpty()) {
      throw arguments.bad("cart", arguments.has("cart") ? "[]" : null, "needs 1 to 100 lines");
    }
    CompleteBasketRequest.Builder request = CompleteBasketRequest.newBuilder();
    for (ToolArguments line : lines) {
      request.addCart(
          CartLine.newBuilder()
              .setItemId(line.text("id"))
              .setQuantity(line.integer("quantity", 1, 1, 999)));
    }
    Double threshold = arguments.number("threshold", 0);
    if (threshold == null || threshold <= 0) {
      throw arguments.bad("threshold", threshold, "is required: an amount above 0");
    }
    Double cap = arguments.number("cap", 0);
    if (cap != null && cap < threshold) {
      throw arguments.bad("cap", cap, "must be at least the threshold " + threshold);
    }
    String currency = arguments.optionalText("currency");
    if (currency == null) {
      currency = cartCurrency(magpie, request.getCart(0).getItemId());
    }
    request.setThresholdMinor(ItemViews.minor(threshold, currency));
    if (cap != null) {
      request.setCapMinor(ItemViews.minor(cap, currency));
    }
    String user = arguments.optionalText("user");
    request.setUser(user == null ? "" : user);
    request.setMaxItems(arguments.integer("max_items", 3, 1, 5));
    CompleteBasketResponse response = magpie.completeBasket(request.build());
    return answer(response, request.getThresholdMinor());
  }

  /** The currency of the cart's first item (an unknown one is the server's to report). */
  private static String cartCurrency(MagpieGrpc.MagpieBlockingStub magpie, String id) {
    GetItemsResponse found = magpie.getItems(GetItemsRequest.newBuilder().addIds(id).build());
    return found.getItemsCount() == 0 ? "" : found.getItems(0).getCurrency();
  }

  /** The answer to a basket asked to reach {@code thresholdMinor}, as the server was asked. */
  private static ToolAnswer answer(CompleteBasketResponse response, long thresholdMinor) {
    String currency = response.getCurrency();
    List<Map<String, Object>> added = new ArrayList<>();
    StringBuilder summary = new StringBuilder();
    summary.append(
        String.format(
            Locale.ROOT,
            "Cart %s %s; threshold %s %s.\n",
            ItemViews.units(response.getCartTotalMinor(), currency).toPlainString(),
            currency,
            ItemViews.units(thresholdMinor, currency).toPlainString(),
            currency));
    int rank = 1;
    for (BasketItem b : response.getAddedList()) {
      added.add(ItemViews.of(b.getItem(), b.getReasonsList()));
      summary.append("Add ");
      Summaries.item(summary, rank++, b.getItem());
      if (b.getReasonsCount() > 0) {
        summary.append("   ").append(b.getReasons(0)).append('\n');
      }
    }
    summary.append(
        String.format(
            Locale.ROOT,
            "%s: total %s %s.\n",
            response.getReached() ? "Threshold reached" : "Threshold not reached",
            ItemViews.units(response.getTotalMinor(), currency).toPlainString(),
            currency));
    Summaries.notes(summary, response.getNotesList());
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("currency", currency);
    content.put("cart_total", ItemViews.units(response.getCartTotalMinor(), currency));
    content.put("threshold", ItemViews.units(thresholdMinor, currency));
    content.put(
        "remaining_before",
        ItemViews.units(Math.max(0, thresholdMinor - response.getCartTotalMinor()), currency));
    content.put("added", added);
    content.put("total", ItemViews.units(response.getTotalMinor(), currency));
    content.put("reached", response.getReached());
    content.put(
        "remaining_after",
        ItemViews.units(Math.max(0, thresholdMinor - response.getTotalMinor()), currency));
    content.put("overshoot", ItemViews.units(response.getOvershootMinor(), currency));
    content.put("notes", response.getNotesList());
    return new ToolAnswer(summary.toString().strip(), content);
  }
}
