package dev.magpie.server;

import dev.magpie.api.v1.Event;
import dev.magpie.api.v1.Filters;
import dev.magpie.api.v1.Item;
import dev.magpie.api.v1.ItemUpdate;
import dev.magpie.api.v1.NewItem;
import dev.magpie.api.v1.ScorePart;
import dev.magpie.engine.InvalidRequestException;
import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.catalog.CatalogLimits;
import dev.magpie.engine.catalog.InvalidFieldException;
import dev.magpie.engine.catalog.ItemBuilder;
import dev.magpie.engine.catalog.Utf8;
import dev.magpie.engine.live.LiveUpdate;
import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.search.SearchFilters;
import dev.magpie.engine.snapshot.ItemStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Maps between the engine's types and the {@code magpie.v1} messages. Stateless. */
final class Messages {
  /**
   * The longest id (item or shopper), occasion or event type a request may carry, in UTF-8 bytes.
   */
  static final int MAX_ID_BYTES = CatalogLimits.MAX_ID_BYTES;

  /** The most categories, or brands, one filter may list. */
  static final int MAX_FILTER_VALUES = 100;

  private Messages() {}

  /**
   * {@code value}, refused when its UTF-8 form is longer than {@code maxBytes}.
   *
   * @throws IllegalArgumentException naming {@code field}, the limit and the length (never the
   *     value)
   */
  static String bounded(String field, String value, int maxBytes) {
    if (value.length() * 3L > maxBytes) {
      int bytes = Utf8.encodedLength(value);
      if (bytes > maxBytes) {
        throw new InvalidRequestException(field, "at most " + maxBytes + " bytes, got " + bytes);
      }
    }
    return value;
  }

  /**
   * Each of {@code values} bounded as {@link #bounded}, named {@code field[i]}; at most {@code
   * maxCount}.
   */
  static List<String> boundedList(String field, List<String> values, int maxCount, int maxBytes) {
    if (values.size() > maxCount) {
      throw new InvalidRequestException(field, "at most " + maxCount + ", got " + values.size());
    }
    for (int i = 0; i < values.size(); i++) {
      bounded(field + "[" + i + "]", values.get(i), maxBytes);
    }
    return values;
  }

  /** Item {@code ordinal} of {@code items} as a message. */
  static Item item(ItemStore items, int ordinal) {
    Item.Builder b =
        Item.newBuilder()
            .setId(items.externalId(ordinal))
            .setTitle(items.title(ordinal))
            .setDescription(items.description(ordinal))
            .setBrand(items.brand(ordinal))
            .setCategory(items.categoryPath(ordinal))
            .setCurrency(items.currency(ordinal))
            .putAllAttributes(items.attributes(ordinal))
            .setSponsored(items.sponsored(ordinal))
            .setWithdrawn(items.withdrawn(ordinal));
    long price = items.priceMinor(ordinal);
    if (price != dev.magpie.engine.catalog.Item.UNKNOWN_PRICE) {
      b.setPriceMinor(price);
    }
    int stock = items.stock(ordinal);
    if (stock != dev.magpie.engine.catalog.Item.UNKNOWN_STOCK) {
      b.setStock(stock);
    }
    float rating = items.rating(ordinal);
    if (!Float.isNaN(rating)) {
      b.setRating(rating);
    }
    return b.build();
  }

  /**
   * The engine's filters for {@code f}.
   *
   * @throws IllegalArgumentException naming the field and value of a bad bound
   */
  static SearchFilters filters(Filters f) {
    boundedList(
        "filters.categories",
        f.getCategoriesList(),
        MAX_FILTER_VALUES,
        CatalogLimits.MAX_CATEGORY_BYTES);
    boundedList(
        "filters.brands", f.getBrandsList(), MAX_FILTER_VALUES, CatalogLimits.MAX_BRAND_BYTES);
    if (f.getAttributesCount() > CatalogLimits.MAX_ATTRIBUTES) {
      throw new InvalidRequestException(
          "filters.attributes",
          "at most " + CatalogLimits.MAX_ATTRIBUTES + ", got " + f.getAttributesCount());
    }
    for (Map.Entry<String, String> a : f.getAttributesMap().entrySet()) {
      bounded("filters.attributes (a name)", a.getKey(), CatalogLimits.MAX_ATTRIBUTE_KEY_BYTES);
      bounded(
          "filters.attributes[" + a.getKey() + "]",
          a.getValue(),
          CatalogLimits.MAX_ATTRIBUTE_VALUE_BYTES);
    }
    if (f.hasMinPriceMinor() && f.getMinPriceMinor() < 0) {
      throw new InvalidRequestException(
          "filters.min_price_minor", "must be 0 or more, got " + f.getMinPriceMinor());
    }
    if (f.hasMaxPriceMinor() && f.getMaxPriceMinor() < 0) {
      throw new InvalidRequestException(
          "filters.max_price_minor", "must be 0 or more, got " + f.getMaxPriceMinor());
    }
    if (f.hasMinPriceMinor()
        && f.hasMaxPriceMinor()
        && f.getMinPriceMinor() > f.getMaxPriceMinor()) {
      throw new InvalidRequestException(
          "filters.min_price_minor",
          "" + f.getMinPriceMinor() + " is above filters.max_price_minor " + f.getMaxPriceMinor());
    }
    return new SearchFilters(
        f.getCategoriesList(),
        f.getBrandsList(),
        f.hasMinPriceMinor() ? f.getMinPriceMinor() : -1,
        f.hasMaxPriceMinor() ? f.getMaxPriceMinor() : -1,
        f.getInStockOnly(),
        Map.copyOf(f.getAttributesMap()));
  }

  /** {@code parts} as messages, largest first. */
  static List<ScorePart> parts(Map<Feature, Float> parts) {
    List<ScorePart> out = new ArrayList<>(parts.size());
    parts.entrySet().stream()
        .sorted((a, b) -> Float.compare(Math.abs(b.getValue()), Math.abs(a.getValue())))
        .forEach(
            e ->
                out.add(
                    ScorePart.newBuilder()
                        .setFeature(e.getKey().name().toLowerCase(Locale.ROOT))
                        .setLabel(e.getKey().label())
                        .setValue(e.getValue())
                        .build()));
    return out;
  }

  /**
   * The live update {@code update} asks for; {@code field} ("updates[3]") prefixes the name of a
   * bad field in the message.
   *
   * @throws IllegalArgumentException naming the field and value
   */
  static LiveUpdate.ItemChange itemChange(ItemUpdate update, String field) {
    if (update.getItemId().isEmpty()) {
      throw new InvalidRequestException(field + ".item_id", "required");
    }
    if (update.hasPriceMinor() && update.getPriceMinor() < 0) {
      throw new InvalidRequestException(
          field + ".price_minor", "must be 0 or more, got " + update.getPriceMinor());
    }
    if (!update.getCurrency().isEmpty() && !update.hasPriceMinor()) {
      throw new InvalidRequestException(
          field + ".currency", "'" + update.getCurrency() + "' given without price_minor");
    }
    if (update.hasStock() && update.getStock() < 0) {
      throw new InvalidRequestException(
          field + ".stock", "must be 0 or more, got " + update.getStock());
    }
    if (!update.hasPriceMinor() && !update.hasStock() && !update.hasAvailable()) {
      throw new InvalidRequestException(
          field, "sets nothing (give price_minor, stock or available)");
    }
    return new LiveUpdate.ItemChange(
        update.getItemId(),
        update.hasPriceMinor() ? update.getPriceMinor() : -1,
        update.getCurrency(),
        update.hasStock() ? update.getStock() : LiveUpdate.ItemChange.KEEP_STOCK,
        !update.hasAvailable()
            ? LiveUpdate.Availability.UNCHANGED
            : update.getAvailable()
                ? LiveUpdate.Availability.AVAILABLE
                : LiveUpdate.Availability.WITHDRAWN);
  }

  /**
   * The item {@code update} adds ({@code update.new_item} set), checked as a catalog row is; {@code
   * field} ("updates[3]") prefixes the name of a bad field. A price without a currency is in the
   * catalog's currency when it has exactly one ({@code currencies}).
   *
   * @throws IllegalArgumentException naming the field and value
   */
  static dev.magpie.engine.catalog.Item newItem(
      ItemUpdate update, String field, List<String> currencies) {
    NewItem details = update.getNewItem();
    if (update.hasAvailable() && !update.getAvailable()) {
      throw new InvalidRequestException(
          field + ".available", "a new item is listed; withdraw it in a later update");
    }
    String currency = update.getCurrency();
    if (update.hasPriceMinor() && currency.isEmpty()) {
      if (currencies.size() != 1) {
        throw new InvalidRequestException(
            field + ".currency",
            "required with price_minor for a new item (the"
                + " catalog's currencies are "
                + currencies
                + ")");
      }
      currency = currencies.getFirst();
    }
    if (!currency.isEmpty() && !update.hasPriceMinor()) {
      throw new InvalidRequestException(
          field + ".currency", "'" + currency + "' given without price_minor");
    }
    ItemBuilder b = new ItemBuilder("USD");
    try {
      b.id(update.getItemId())
          .title(details.getTitle())
          .description(details.getDescription())
          .brand(details.getBrand())
          .category(details.getCategory())
          .sponsored(details.getSponsored() ? "true" : "");
      if (update.hasPriceMinor()) {
        b.priceMinor(update.getPriceMinor()).currency(currency);
      }
      if (update.hasStock()) {
        b.stock(update.getStock());
      }
      if (details.hasRating()) {
        b.rating(details.getRating());
      }
      for (Map.Entry<String, String> a : new TreeMap<>(details.getAttributesMap()).entrySet()) {
        b.attribute(a.getKey(), a.getValue());
      }
      if (details.getVectorCount() > 0) {
        float[] vector = new float[details.getVectorCount()];
        for (int i = 0; i < vector.length; i++) {
          vector[i] = details.getVector(i);
        }
        b.vector(vector);
      }
      return b.build();
    } catch (InvalidFieldException e) {
      String name =
          switch (e.field()) {
            case "id" -> "item_id";
            case "price_minor", "currency", "stock" -> e.field();
            default -> "new_item." + e.field();
          };
      throw new InvalidRequestException(
          field + "." + name,
          e.getMessage() + (e.value() == null ? "" : " (got '" + e.value() + "')"),
          e);
    }
  }

  /**
   * The live event {@code event} records, at {@code nowSeconds} when it gives no time.
   *
   * @throws IllegalArgumentException naming the field and value
   */
  static LiveUpdate.Event event(Event event, String field, long nowSeconds) {
    bounded(field + ".user", event.getUser(), MAX_ID_BYTES);
    bounded(field + ".item_id", event.getItemId(), MAX_ID_BYTES);
    bounded(field + ".type", event.getType(), MAX_ID_BYTES);
    if (event.getUser().isBlank()) {
      throw new InvalidRequestException(field + ".user", "required");
    }
    if (event.getItemId().isEmpty()) {
      throw new InvalidRequestException(field + ".item_id", "required");
    }
    EventType type;
    try {
      type = EventType.parse(event.getType());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(field + ".type", "" + e.getMessage(), e);
    }
    if (type == EventType.RATING) {
      throw new InvalidRequestException(
          field + ".type",
          "rating events come with the catalog's event log" + " (magpie load --events), not live");
    }
    long time = event.getTimeEpochSeconds();
    if (time < 0) {
      throw new InvalidRequestException(
          field + ".time_epoch_seconds", "must be 0 or more, got " + time);
    }
    return new LiveUpdate.Event(
        event.getUser(), event.getItemId(), type, time == 0 ? nowSeconds : time);
  }
}
