package dev.magpie.server;

import dev.magpie.api.v1.BasketItem;
import dev.magpie.api.v1.CartLine;
import dev.magpie.api.v1.CompleteBasketRequest;
import dev.magpie.api.v1.CompleteBasketResponse;
import dev.magpie.api.v1.Item;
import dev.magpie.engine.InvalidRequestException;
import dev.magpie.engine.agent.BasketCompleter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** CompleteBasket's request and answer, for a server and a router alike. */
final class BasketMessages {
  private BasketMessages() {}

  /**
   * The engine's form of {@code request}, its sizes checked (the completer checks the rest).
   *
   * @throws InvalidRequestException naming the field and value
   */
  static BasketCompleter.Request request(CompleteBasketRequest request) {
    Messages.bounded("user", request.getUser(), Messages.MAX_ID_BYTES);
    if (request.getCartCount() > MagpieService.MAX_IDS) {
      throw new InvalidRequestException(
          "cart", "at most " + MagpieService.MAX_IDS + " lines, got " + request.getCartCount());
    }
    List<BasketCompleter.Line> cart = new ArrayList<>();
    for (int i = 0; i < request.getCartCount(); i++) {
      CartLine line = request.getCart(i);
      Messages.bounded("cart[" + i + "].item_id", line.getItemId(), Messages.MAX_ID_BYTES);
      cart.add(
          new BasketCompleter.Line(
              line.getItemId(), line.getQuantity() == 0 ? 1 : line.getQuantity()));
    }
    return new BasketCompleter.Request(
        cart,
        request.getThresholdMinor(),
        request.hasCapMinor() ? request.getCapMinor() : -1,
        request.getUser().isEmpty() ? null : request.getUser(),
        request.getMaxItems() == 0 ? BasketCompleter.DEFAULT_MAX_ITEMS : request.getMaxItems());
  }

  /** {@code basket} as an answer, each added item's catalog entry from {@code item}. */
  static CompleteBasketResponse response(
      BasketCompleter.Basket basket, Function<BasketCompleter.Added, Item> item) {
    CompleteBasketResponse.Builder out =
        CompleteBasketResponse.newBuilder()
            .setCurrency(basket.currency())
            .setCartTotalMinor(basket.cartTotalMinor())
            .setTotalMinor(basket.totalMinor())
            .setOvershootMinor(basket.overshootMinor())
            .setReached(basket.reached())
            .addAllNotes(basket.notes());
    for (BasketCompleter.Added a : basket.added()) {
      out.addAdded(
          BasketItem.newBuilder()
              .setItem(item.apply(a))
              .setScore(a.score())
              .addAllReasons(a.reasons()));
    }
    return out.build();
  }

  /** What the completer needs of an item, from its catalog entry (null: no such item). */
  static BasketCompleter.Priced priced(Item item) {
    return item == null
        ? null
        : new BasketCompleter.Priced(
            item.hasPriceMinor()
                ? item.getPriceMinor()
                : dev.magpie.engine.catalog.Item.UNKNOWN_PRICE,
            item.getCurrency(),
            item.getCategory());
  }
}
