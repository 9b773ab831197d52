package dev.magpie.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.magpie.api.v1.Filters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolArgumentsTest {
  private static String refusal(Runnable read) {
    return assertThrows(BadToolCall.class, read::run).getMessage();
  }

  @Test
  void readsWhatWasSentAndNamesTheArgumentTheValueAndTheRuleWhenItCannot() {
    ToolArguments args =
        new ToolArguments(
            "recommend",
            Map.of("limit", 3, "user", "u1", "ids", List.of("a", "b"), "flag", true, "n", 2.5));
    assertEquals(3, args.integer("limit", 10, 1, 50));
    assertEquals(10, args.integer("absent", 10, 1, 50));
    assertEquals("u1", args.text("user"));
    assertNull(args.optionalText("absent"));
    assertEquals(List.of("a", "b"), args.texts("ids", 5));
    assertEquals(2.5, args.number("n", 0));
    assertEquals(
        "recommend: limit must be from 1 to 2 (got 3)",
        refusal(() -> args.integer("limit", 1, 1, 2)));
    assertEquals(
        "recommend: n must be a whole number from 1 to 5 (got 2.5)",
        refusal(() -> args.integer("n", 1, 1, 5)));
    assertEquals(
        "recommend: query is required: a non-empty string (got nothing)",
        refusal(() -> args.text("query")));
    assertEquals(
        "recommend: ids takes at most 1 entries (got 2)", refusal(() -> args.texts("ids", 1)));
    assertEquals(
        "recommend: user must be true or false (got \"u1\")",
        refusal(() -> args.flag("user", false)));
  }

  @Test
  void nestedArgumentsAreNamedByTheirPath() {
    ToolArguments args =
        new ToolArguments(
            "search_catalog",
            Map.of(
                "filters",
                Map.of("brands", List.of("Trek", ""), "price", Map.of("min", 50, "max", 20))));
    assertEquals(
        "search_catalog: filters.brands[1] must be a non-empty string (got \"\")",
        refusal(() -> FilterArguments.read(args.object("filters"))));
    ToolArguments cart =
        new ToolArguments(
            "complete_basket", Map.of("cart", List.of(Map.of("id", "x", "quantity", 0))));
    assertEquals(
        "complete_basket: cart[0].quantity must be from 1 to 999 (got 0)",
        refusal(() -> cart.objects("cart", 10).getFirst().integer("quantity", 1, 1, 999)));
  }

  @Test
  void filtersBecomeApiFiltersWithPricesInMinorUnitsOfTheirCurrency() {
    Filters usd =
        FilterArguments.read(
            new ToolArguments(
                "t",
                Map.of(
                    "categories", List.of("Outdoor > Tents"),
                    "price", Map.of("min", 19.99, "max", 150),
                    "available", true,
                    "attributes", Map.of("color", "red"))));
    assertEquals(List.of("Outdoor > Tents"), usd.getCategoriesList());
    assertEquals(1_999, usd.getMinPriceMinor());
    assertEquals(15_000, usd.getMaxPriceMinor());
    assertEquals(true, usd.getInStockOnly());
    assertEquals(Map.of("color", "red"), usd.getAttributesMap());
    Filters yen =
        FilterArguments.read(
            new ToolArguments("t", Map.of("price", Map.of("max", 5000, "currency", "JPY"))));
    assertEquals(5_000, yen.getMaxPriceMinor());
    assertEquals(
        "t: price.min must not exceed max 20.0 (got 50.0)",
        refusal(
            () ->
                FilterArguments.read(
                    new ToolArguments("t", Map.of("price", Map.of("min", 50, "max", 20))))));
  }
}
