package dev.magpie.engine.agent;

import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.snapshot.ItemStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a comparison reads of one item: its catalog facts (as of the request's epoch) and what
 * shoppers did with it. Built from a store ({@link #of}) on a single node, from the items' shards'
 * answers at a router.
 *
 * @param id the item's id
 * @param title its title
 * @param priceMinor its price, or {@link dev.magpie.engine.catalog.Item#UNKNOWN_PRICE}
 * @param currency its price's currency
 * @param brand its brand, or ""
 * @param categoryPath its category path, or ""
 * @param rating its rating, NaN when unrated
 * @param stock its stock, or {@link dev.magpie.engine.catalog.Item#UNKNOWN_STOCK}
 * @param attributes its attributes
 * @param buys its purchases, -1 without behaviour
 * @param views its views, -1 without behaviour
 */
public record ComparedItem(
    String id,
    String title,
    long priceMinor,
    String currency,
    String brand,
    String categoryPath,
    float rating,
    int stock,
    Map<String, String> attributes,
    int buys,
    int views) {
  /** Copies the attributes, keeping their order (the comparison's rows follow it). */
  public ComparedItem {
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /** Item {@code ordinal} of {@code items}, its statistics from {@code behaviour} (or none). */
  public static ComparedItem of(ItemStore items, int ordinal, BehaviourModel behaviour) {
    return new ComparedItem(
        items.externalId(ordinal),
        items.title(ordinal),
        items.priceMinor(ordinal),
        items.currency(ordinal),
        items.brand(ordinal),
        items.categoryPath(ordinal),
        items.rating(ordinal),
        items.stock(ordinal),
        items.attributes(ordinal),
        behaviour == null ? -1 : behaviour.stats().buys(ordinal),
        behaviour == null ? -1 : behaviour.stats().views(ordinal));
  }
}
