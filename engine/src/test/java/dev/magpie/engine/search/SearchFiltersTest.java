package dev.magpie.engine.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What query understanding may add to a caller's filters: the caller wins every conflict. */
class SearchFiltersTest {
  @Test
  void brandsFromTheTextNarrowTheCallersOrYieldToThem() {
    List<String> notes = new ArrayList<>();
    SearchFilters caller = SearchFilters.brands(List.of("Nike", "Adidas"));
    assertEquals(
        List.of("Nike"), caller.refinedBy(SearchFilters.brands(List.of("nike")), notes).brands());
    assertTrue(notes.isEmpty());
    assertEquals(
        List.of("Nike", "Adidas"),
        caller.refinedBy(SearchFilters.brands(List.of("Puma")), notes).brands());
    assertTrue(notes.getFirst().contains("kept the request's brand filter"), notes.toString());
    assertEquals(
        List.of("Puma"),
        SearchFilters.NONE.refinedBy(SearchFilters.brands(List.of("Puma")), notes).brands());
  }

  @Test
  void pricesNarrowUnlessTheyWouldExcludeEverything() {
    List<String> notes = new ArrayList<>();
    SearchFilters caller = SearchFilters.price(10_000, -1);
    SearchFilters narrowed = caller.refinedBy(SearchFilters.price(-1, 50_000), notes);
    assertEquals(10_000, narrowed.minPriceMinor());
    assertEquals(50_000, narrowed.maxPriceMinor());
    SearchFilters conflict = caller.refinedBy(SearchFilters.price(-1, 5_000), notes);
    assertEquals(10_000, conflict.minPriceMinor());
    assertEquals(-1, conflict.maxPriceMinor());
    assertEquals(1, notes.size(), notes.toString());
  }

  @Test
  void categoriesAndAttributesOfTheCallerStay() {
    List<String> notes = new ArrayList<>();
    SearchFilters caller =
        new SearchFilters(List.of("Footwear"), List.of(), -1, -1, false, Map.of("color", "red"));
    SearchFilters text =
        new SearchFilters(
            List.of("Kitchen"), List.of(), -1, -1, true, Map.of("color", "blue", "size", "9"));
    SearchFilters refined = caller.refinedBy(text, notes);
    assertEquals(List.of("Footwear"), refined.categories());
    assertEquals(Map.of("color", "red", "size", "9"), refined.attributes());
    assertTrue(refined.inStockOnly());
    assertTrue(notes.getFirst().contains("category"), notes.toString());
  }
}
