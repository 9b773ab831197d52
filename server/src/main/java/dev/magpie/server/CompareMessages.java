package dev.magpie.server;

import dev.magpie.api.v1.AttributeRow;
import dev.magpie.api.v1.CompareItemsResponse;
import dev.magpie.api.v1.FetchedItem;
import dev.magpie.api.v1.Item;
import dev.magpie.engine.agent.ComparedItem;
import dev.magpie.engine.agent.Comparison;
import java.util.function.Function;

/** CompareItems' answer, for a server and a router alike, and a router's compared items. */
final class CompareMessages {
  private CompareMessages() {}

  /** {@code c} as an answer, each item's catalog entry from {@code item} (by id). */
  static CompareItemsResponse response(Comparison c, Function<String, Item> item) {
    CompareItemsResponse.Builder out =
        CompareItemsResponse.newBuilder().addAllDifferences(c.differences());
    for (int i = 0; i < c.ids().size(); i++) {
      out.addItems(
          dev.magpie.api.v1.ComparedItem.newBuilder()
              .setItem(item.apply(c.ids().get(i)))
              .addAllSuits(c.suits().get(i)));
    }
    for (Comparison.Row row : c.rows()) {
      out.addRows(
          AttributeRow.newBuilder()
              .setName(row.name())
              .addAllValues(row.values())
              .setDiffers(row.differs()));
    }
    return out.build();
  }

  /** What a comparison reads of a fetched item (fetched with its statistics). */
  static ComparedItem compared(FetchedItem fetched) {
    Item i = fetched.getItem();
    return new ComparedItem(
        i.getId(),
        i.getTitle(),
        i.hasPriceMinor() ? i.getPriceMinor() : dev.magpie.engine.catalog.Item.UNKNOWN_PRICE,
        i.getCurrency(),
        i.getBrand(),
        i.getCategory(),
        i.hasRating() ? i.getRating() : Float.NaN,
        i.hasStock() ? i.getStock() : dev.magpie.engine.catalog.Item.UNKNOWN_STOCK,
        i.getAttributesMap(),
        fetched.getBuys(),
        fetched.getViews());
  }
}
