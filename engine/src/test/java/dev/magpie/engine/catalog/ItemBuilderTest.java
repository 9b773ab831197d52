package dev.magpie.engine.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ItemBuilderTest {
  private final ItemBuilder builder = new ItemBuilder("USD");

  private static InvalidFieldException rejects(
      RejectReason reason, String field, org.junit.jupiter.api.function.Executable call) {
    InvalidFieldException e = assertThrows(InvalidFieldException.class, call);
    assertEquals(reason, e.reason(), e.getMessage());
    assertEquals(field, e.field(), e.getMessage());
    return e;
  }

  @Test
  void buildsAFullItem() throws Exception {
    Item item =
        builder
            .reset()
            .id(" sku-1 ")
            .title(" Chef's Knife ")
            .description("Sharp.")
            .brand("Wüsthof")
            .category("Home>Kitchen >  Knives")
            .price("12.90")
            .currency("EUR")
            .stock("3")
            .rating("4.5")
            .attribute("color", "black")
            .vector(new float[] {1, 2})
            .build();
    assertEquals("sku-1", item.externalId());
    assertEquals("Chef's Knife", item.title());
    assertEquals("Home > Kitchen > Knives", item.categoryPath());
    assertEquals(1290, item.priceMinor());
    assertEquals("EUR", item.currency());
    assertEquals(3, item.stock());
    assertEquals(4.5f, item.rating());
    assertEquals("black", item.attributes().get("color"));
  }

  @Test
  void optionalFieldsDefaultToUnknown() throws Exception {
    Item item = builder.reset().id("1").title("t").build();
    assertEquals(Item.UNKNOWN_PRICE, item.priceMinor());
    assertEquals("", item.currency());
    assertEquals(Item.UNKNOWN_STOCK, item.stock());
    assertTrue(Float.isNaN(item.rating()));
    assertEquals("", item.categoryPath());
  }

  @Test
  void convertsPricesByTheCurrencysDecimals() throws Exception {
    assertEquals(1999, builder.reset().id("1").title("t").price("19.99").build().priceMinor());
    assertEquals(1990, builder.reset().id("1").title("t").price("19.9").build().priceMinor());
    assertEquals(500, builder.reset().id("1").title("t").price("5").build().priceMinor());
    assertEquals(500, builder.reset().id("1").title("t").price("5.000").build().priceMinor());
    assertEquals(
        1999,
        builder.reset().id("1").title("t").price("1999").currency("JPY").build().priceMinor());
    InvalidFieldException e =
        rejects(
            RejectReason.BAD_PRICE,
            "price",
            () -> builder.reset().id("1").title("t").price("19.999").build());
    assertTrue(e.getMessage().contains("more decimals than USD allows (2)"), e.getMessage());
    rejects(
        RejectReason.BAD_PRICE,
        "price",
        () -> builder.reset().id("1").title("t").price("10.5").currency("JPY").build());
  }

  @Test
  void rejectsBadPrices() {
    InvalidFieldException e =
        rejects(RejectReason.BAD_PRICE, "price", () -> builder.price("twelve"));
    assertEquals("twelve", e.value());
    assertEquals("price is not a decimal number", e.getMessage());
    rejects(RejectReason.BAD_PRICE, "price", () -> builder.price("-1.00"));
    rejects(RejectReason.BAD_PRICE, "price", () -> builder.price("1e999999999"));
    rejects(RejectReason.BAD_PRICE, "price", () -> builder.price("1e-999999999"));
    rejects(RejectReason.BAD_PRICE, "price", () -> builder.price("NaN"));
    rejects(RejectReason.BAD_PRICE, "price_minor", () -> builder.priceMinor(-5));
  }

  @Test
  void rejectsBadStockRatingCurrency() {
    rejects(RejectReason.BAD_STOCK, "stock", () -> builder.stock("-1"));
    rejects(RejectReason.BAD_STOCK, "stock", () -> builder.stock("2.5"));
    rejects(RejectReason.BAD_STOCK, "stock", () -> builder.stock("99999999999"));
    rejects(RejectReason.BAD_RATING, "rating", () -> builder.rating("5.1"));
    rejects(RejectReason.BAD_RATING, "rating", () -> builder.rating("NaN"));
    rejects(RejectReason.BAD_CURRENCY, "currency", () -> builder.currency("XYZ"));
    rejects(RejectReason.BAD_CURRENCY, "currency", () -> builder.currency("XXX"));
  }

  @Test
  void rejectsMissingRequiredFields() {
    rejects(RejectReason.MISSING_ID, "id", () -> builder.id("   "));
    rejects(RejectReason.MISSING_ID, "id", () -> builder.reset().title("t").build());
    rejects(RejectReason.MISSING_FIELD, "title", () -> builder.reset().id("1").build());
    rejects(RejectReason.MISSING_FIELD, "title", () -> builder.reset().id("1").title("  ").build());
  }

  @Test
  void rejectsFieldsOverTheirLimitsNamingTheSize() {
    String longTitle = "é".repeat(CatalogLimits.MAX_TITLE_BYTES / 2 + 1);
    InvalidFieldException e =
        rejects(RejectReason.FIELD_TOO_LONG, "title", () -> builder.title(longTitle));
    assertTrue(
        e.getMessage().contains("title is 2050 bytes of UTF-8, the limit is 2048"), e.getMessage());
    assertTrue(e.value().endsWith("(1025 chars)"), e.value());
    rejects(
        RejectReason.FIELD_TOO_LONG,
        "id",
        () -> builder.id("x".repeat(CatalogLimits.MAX_ID_BYTES + 1)));
    rejects(
        RejectReason.FIELD_TOO_LONG,
        "description",
        () -> builder.description("d".repeat(CatalogLimits.MAX_DESCRIPTION_BYTES + 1)));
    rejects(
        RejectReason.FIELD_TOO_LONG,
        "attributes.color",
        () -> builder.attribute("color", "c".repeat(CatalogLimits.MAX_ATTRIBUTE_VALUE_BYTES + 1)));
  }

  @Test
  void rejectsBadCategories() {
    InvalidFieldException e =
        rejects(RejectReason.BAD_CATEGORY, "category", () -> builder.category("Home >  > Knives"));
    assertTrue(e.getMessage().contains("empty segment at level 2"), e.getMessage());
    rejects(RejectReason.BAD_CATEGORY, "category", () -> builder.categorySegments(List.of("a>b")));
    rejects(RejectReason.BAD_CATEGORY, "category", () -> builder.category("a>".repeat(20) + "a"));
  }

  @Test
  void checksVectorDimensionAndValues() throws Exception {
    builder.expectDimension(3);
    builder.vector(new float[] {1, 2, 3});
    InvalidFieldException e =
        rejects(RejectReason.BAD_VECTOR, "vector", () -> builder.vector(new float[] {1, 2}));
    assertEquals("vector dimension 2, expected 3", e.getMessage());
    rejects(RejectReason.BAD_VECTOR, "vector", () -> builder.vector(new float[] {1, Float.NaN, 3}));
    rejects(RejectReason.BAD_VECTOR, "vector", () -> builder.vector(new float[0]));
  }
}
