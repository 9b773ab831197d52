package dev.magpie.engine.behaviour;

import java.util.Locale;

/** What a shopper did with an item, weakest signal first. */
public enum EventType {
  /** Looked at it (Taobao "pv", a click). */
  VIEW(1f),
  /** Saved it for later (favourite, wish list). */
  FAV(2f),
  /** Put it in the cart. */
  CART(3f),
  /** Bought it. */
  BUY(4f),
  /** Rated it (MovieLens); its weight is scaled by the rating. */
  RATING(3f);

  private final float weight;

  EventType(float weight) {
    this.weight = weight;
  }

  /** How strongly this event says the shopper wants the item, for popularity and co-occurrence. */
  public float weight() {
    return weight;
  }

  /**
   * The type named {@code name}, case-insensitive, with the usual aliases (pv, click; favorite,
   * wishlist; add_to_cart; purchase, order; rate).
   *
   * @throws IllegalArgumentException naming the value and what is accepted
   */
  public static EventType parse(String name) {
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "view", "pv", "click", "detail" -> VIEW;
      case "fav", "favorite", "favourite", "wishlist", "like" -> FAV;
      case "cart", "add_to_cart", "addtocart" -> CART;
      case "buy", "purchase", "order", "transaction" -> BUY;
      case "rating", "rate" -> RATING;
      default ->
          throw new IllegalArgumentException(
              "unknown event type '"
                  + name
                  + "': expected view (pv, click),"
                  + " fav, cart, buy (purchase) or rating");
    };
  }
}
