package dev.magpie.engine.agent;

import dev.magpie.engine.InvalidRequestException;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.catalog.Money;
import dev.magpie.engine.recommend.Channel;
import dev.magpie.engine.recommend.Diversity;
import dev.magpie.engine.recommend.RecommendRequest;
import dev.magpie.engine.recommend.RecommendedItem;
import dev.magpie.engine.recommend.Recommender;
import dev.magpie.engine.search.SearchFilters;
import dev.magpie.engine.snapshot.ItemStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Completes a basket to a spending threshold (a coupon's minimum spend, free delivery): from the
 * items the recommender finds for the cart and the shopper (complements, bought together, their
 * taste), in stock and priced in the cart's currency, it picks at most a few whose prices bring the
 * total to the threshold with the least overshoot, never past an optional cap. Among choices within
 * a small tolerance of the least overshoot ({@value #TOLERANCE_PERCENT}% of the threshold) it takes
 * the fewest items, then the most relevant. The search is exact over the candidates: every subset
 * is considered (pruned once its total reaches the threshold or passes the cap).
 *
 * <p>What a basket is completed with: never an item of the same product type (category) as a cart
 * line, which would be a second of what the shopper is already buying (a second pair of boots), and
 * complements first: items the recommender found as directional complements of the cart (bought
 * after its items) or in the categories the knowledge file names as their complements. Only when no
 * choice of complements reaches the threshold within the cap do the other candidates (bought or
 * viewed together, near in meaning, popular) join. Thread-safe.
 */
public final class BasketCompleter {
  /** Items added at most by default. */
  public static final int DEFAULT_MAX_ITEMS = 3;

  /** Items one request may ask to add at most. */
  public static final int MAX_ITEMS = 5;

  /** Lines a cart may have. */
  public static final int MAX_LINES = 100;

  /** Candidates asked of the recommender. */
  static final int CANDIDATES = 40;

  /** Overshoot within this share of the threshold of the least is as good. */
  static final int TOLERANCE_PERCENT = 1;

  private final Supplier<ItemStore> items;
  private final Recommender recommender;

  /** Completes baskets over {@code items} with candidates from {@code recommender}. */
  public BasketCompleter(ItemStore items, Recommender recommender) {
    this(() -> items, recommender);
  }

  /**
   * Completes baskets over the current epoch of the items {@code items} supplies (a snapshot's
   * {@code items()} when items change live), with candidates from {@code recommender}.
   */
  public BasketCompleter(Supplier<ItemStore> items, Recommender recommender) {
    this.items = items;
    this.recommender = recommender;
  }

  /**
   * One cart line.
   *
   * @param itemId the item
   * @param quantity units, 1 or more
   */
  public record Line(String itemId, int quantity) {}

  /**
   * What to complete.
   *
   * @param cart the cart's lines, 1 to {@value #MAX_LINES}
   * @param thresholdMinor the total to reach, in minor units of the cart's currency
   * @param capMinor the total not to pass, or -1 for none
   * @param user the shopper, or null
   * @param maxItems items to add at most, 1 to {@value #MAX_ITEMS}
   */
  public record Request(
      List<Line> cart, long thresholdMinor, long capMinor, String user, int maxItems) {
    /** Copies the cart. */
    public Request {
      cart = List.copyOf(cart);
    }
  }

  /**
   * An item to add.
   *
   * @param ordinal the item's ordinal in the store that holds it
   * @param id the item's id
   * @param priceMinor its price
   * @param score the recommender's score
   * @param reasons the recommender's reasons
   */
  public record Added(int ordinal, String id, long priceMinor, float score, List<String> reasons) {}

  /**
   * What a completer needs to know of an item of the cart or a candidate.
   *
   * @param priceMinor its price, or {@link Item#UNKNOWN_PRICE}
   * @param currency its price's currency
   * @param category its category path, its product type ("" when unknown)
   */
  public record Priced(long priceMinor, String currency, String category) {}

  /**
   * A checked cart.
   *
   * @param currency its currency
   * @param totalMinor what it costs
   * @param context its distinct items, in cart order (what the recommender starts from)
   * @param categories its lines' categories (none empty): what an addition must not be
   */
  public record Cart(
      String currency, long totalMinor, List<String> context, Set<String> categories) {
    /** Copies the lists. */
    public Cart {
      context = List.copyOf(context);
      categories = Set.copyOf(categories);
    }
  }

  /** The channels that find complements of a cart: directional relations, knowledge complements. */
  static final Set<Channel> COMPLEMENT_CHANNELS = EnumSet.of(Channel.COMPLEMENT, Channel.KNOWLEDGE);

  /**
   * The completed basket.
   *
   * @param currency the cart's currency
   * @param cartTotalMinor what the cart costs
   * @param added the items to add, cheapest first
   * @param totalMinor cart plus additions
   * @param overshootMinor how far the total passes the threshold (0 when it is not reached)
   * @param reached whether the total reaches the threshold
   * @param notes what was done and why, in words
   */
  public record Basket(
      String currency,
      long cartTotalMinor,
      List<Added> added,
      long totalMinor,
      long overshootMinor,
      boolean reached,
      List<String> notes) {}

  /**
   * Completes {@code request}'s cart.
   *
   * @throws IllegalArgumentException naming the field and value
   */
  public Basket complete(Request request) {
    return complete(items.get(), request);
  }

  /** As {@link #complete(Request)}, over the epoch {@code items} (a view's). */
  public Basket complete(ItemStore items, Request request) {
    Function<String, Priced> priced =
        id -> {
          int o = items.ordinalOf(id);
          return o < 0
              ? null
              : new Priced(items.priceMinor(o), items.currency(o), items.categoryPath(o));
        };
    Cart cart = cart(request, priced);
    Basket done = alreadyReached(request, cart);
    if (done != null) {
      return done;
    }
    return finish(
        request,
        cart,
        recommender.recommend(items, candidatesRequest(request, cart)).items(),
        r -> priced.apply(r.id()));
  }

  /**
   * Checks {@code request} and its cart, each item's price from {@code items} (null for an item the
   * catalog does not hold).
   *
   * @throws InvalidRequestException naming the field and value
   */
  public static Cart cart(Request request, Function<String, Priced> items) {
    Objects.requireNonNull(request, "request");
    List<Line> cart = request.cart();
    if (cart.isEmpty() || cart.size() > MAX_LINES) {
      throw new InvalidRequestException(
          "cart", "give 1 to " + MAX_LINES + " lines, got " + cart.size());
    }
    if (request.maxItems() < 1 || request.maxItems() > MAX_ITEMS) {
      throw new InvalidRequestException(
          "max_items", "must be from 1 to " + MAX_ITEMS + ", got " + request.maxItems());
    }
    if (request.thresholdMinor() <= 0) {
      throw new InvalidRequestException(
          "threshold_minor", "must be above 0, got " + request.thresholdMinor());
    }
    if (request.capMinor() >= 0 && request.capMinor() < request.thresholdMinor()) {
      throw new InvalidRequestException(
          "cap_minor",
          "" + request.capMinor() + " is below threshold_minor " + request.thresholdMinor());
    }
    String currency = null;
    long cartTotal = 0;
    Set<String> inCart = new HashSet<>();
    List<String> context = new ArrayList<>();
    Set<String> categories = new HashSet<>();
    for (int i = 0; i < cart.size(); i++) {
      Line line = cart.get(i);
      String field = "cart[" + i + "]";
      Priced item = items.apply(line.itemId());
      if (item == null) {
        throw new InvalidRequestException(
            field + ".item_id", "no item '" + line.itemId() + "' in the catalog");
      }
      if (line.quantity() < 1 || line.quantity() > 999) {
        throw new InvalidRequestException(
            field + ".quantity", "must be from 1 to 999, got " + line.quantity());
      }
      if (item.priceMinor() == Item.UNKNOWN_PRICE) {
        throw new InvalidRequestException(
            field + ".item_id", "item '" + line.itemId() + "' has no price");
      }
      if (currency != null && !currency.equals(item.currency())) {
        throw new InvalidRequestException(
            field + ".item_id",
            "item '"
                + line.itemId()
                + "' is priced in "
                + item.currency()
                + ", the cart in "
                + currency);
      }
      currency = item.currency();
      cartTotal += item.priceMinor() * line.quantity();
      if (inCart.add(line.itemId())) {
        context.add(line.itemId());
      }
      if (item.category() != null && !item.category().isEmpty()) {
        categories.add(item.category());
      }
    }
    return new Cart(currency, cartTotal, context, categories);
  }

  /** The answer when {@code cart} already reaches the threshold, else null. */
  public static Basket alreadyReached(Request request, Cart cart) {
    if (cart.totalMinor() < request.thresholdMinor()) {
      return null;
    }
    return new Basket(
        cart.currency(),
        cart.totalMinor(),
        List.of(),
        cart.totalMinor(),
        cart.totalMinor() - request.thresholdMinor(),
        true,
        List.of(
            "the cart ("
                + Money.format(cart.totalMinor(), cart.currency())
                + ") already reaches the threshold ("
                + Money.format(request.thresholdMinor(), cart.currency())
                + ")"));
  }

  /**
   * What the recommender is asked for the candidates of a cart short of the threshold: in stock,
   * for the cart and the shopper.
   *
   * @throws InvalidRequestException when the cart is already above the cap
   */
  public static RecommendRequest candidatesRequest(Request request, Cart cart) {
    if (request.capMinor() >= 0 && request.capMinor() < cart.totalMinor()) {
      throw new InvalidRequestException(
          "cap_minor",
          "the cart (" + cart.totalMinor() + ") is already above the cap " + request.capMinor());
    }
    List<String> context = cart.context();
    List<String> shown = context.size() > 20 ? context.subList(0, 20) : context;
    SearchFilters inStock = new SearchFilters(List.of(), List.of(), -1, -1, true, Map.of());
    return new RecommendRequest(
        request.user(), shown, null, CANDIDATES, inStock, Diversity.NONE, 0f);
  }

  /**
   * The basket from the recommender's answer to {@link #candidatesRequest}, each candidate's price
   * from {@code priced} (null: left out).
   */
  public static Basket finish(
      Request request,
      Cart cart,
      List<RecommendedItem> found,
      Function<RecommendedItem, Priced> priced) {
    String currency = cart.currency();
    long cartTotal = cart.totalMinor();
    long gap = request.thresholdMinor() - cartTotal;
    long room = request.capMinor() < 0 ? Long.MAX_VALUE : request.capMinor() - cartTotal;
    Set<String> inCart = new HashSet<>(cart.context());
    List<RecommendedItem> candidates = new ArrayList<>();
    List<Long> candidatePrices = new ArrayList<>();
    int sameKind = 0;
    for (RecommendedItem r : found) {
      Priced p = priced.apply(r);
      if (p == null
          || inCart.contains(r.id())
          || p.priceMinor() <= 0
          || !currency.equals(p.currency())) {
        continue;
      }
      if (cart.categories().contains(p.category())) {
        sameKind++;
        continue;
      }
      candidates.add(r);
      candidatePrices.add(p.priceMinor());
    }
    List<String> notes = new ArrayList<>();
    if (sameKind > 0) {
      notes.add(
          "left out "
              + sameKind
              + " of the same kind as a cart line (a second of what is in the cart is not a"
              + " complement)");
    }
    if (candidates.isEmpty()) {
      notes.add("no in-stock complement priced in " + currency + " was found for this cart");
      return new Basket(currency, cartTotal, List.of(), cartTotal, 0, false, notes);
    }
    long tolerance = Math.max(1, request.thresholdMinor() * TOLERANCE_PERCENT / 100);
    // Complements first; the others only when no choice of complements reaches the threshold.
    List<RecommendedItem> complements = new ArrayList<>();
    List<Long> complementPrices = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      if (!Collections.disjoint(candidates.get(i).channels(), COMPLEMENT_CHANNELS)) {
        complements.add(candidates.get(i));
        complementPrices.add(candidatePrices.get(i));
      }
    }
    Choice best = null;
    if (!complements.isEmpty() && complements.size() < candidates.size()) {
      Choice amongComplements =
          choose(
              toLongs(complementPrices),
              scoresOf(complements),
              gap,
              room,
              request.maxItems(),
              tolerance);
      if (amongComplements != null && amongComplements.sum() >= gap) {
        best = amongComplements;
        candidates = complements;
        candidatePrices = complementPrices;
        notes.add(
            "chosen among the "
                + complements.size()
                + " complements found (bought after the cart's items, or of a category the"
                + " catalog's knowledge pairs with them)");
      }
    }
    long[] prices = toLongs(candidatePrices);
    if (best == null) {
      best = choose(prices, scoresOf(candidates), gap, room, request.maxItems(), tolerance);
    }
    if (best == null) {
      // Every complement costs more than the room the cap leaves: add nothing, and say so.
      long cheapest = Arrays.stream(prices).min().orElseThrow();
      notes.add(
          "no complement fits under the cap of "
              + Money.format(request.capMinor(), currency)
              + ": it leaves "
              + Money.format(room, currency)
              + " and the cheapest of the "
              + candidates.size()
              + " complements considered costs "
              + Money.format(cheapest, currency));
      return new Basket(currency, cartTotal, List.of(), cartTotal, 0, false, notes);
    }
    List<Added> added = new ArrayList<>();
    long sum = 0;
    for (int c : best.members) {
      RecommendedItem r = candidates.get(c);
      added.add(new Added(r.ordinal(), r.id(), prices[c], r.score(), r.reasons()));
      sum += prices[c];
    }
    long total = cartTotal + sum;
    boolean reached = total >= request.thresholdMinor();
    if (reached) {
      notes.add(
          "adds "
              + Money.format(sum, currency)
              + ": the total "
              + Money.format(total, currency)
              + " passes the "
              + Money.format(request.thresholdMinor(), currency)
              + " threshold by "
              + Money.format(total - request.thresholdMinor(), currency)
              + ", the least of any "
              + request.maxItems()
              + " or fewer of the "
              + candidates.size()
              + " complements considered");
    } else {
      notes.add(
          "no "
              + request.maxItems()
              + " or fewer of the "
              + candidates.size()
              + " complements considered reach "
              + Money.format(request.thresholdMinor(), currency)
              + (room == Long.MAX_VALUE
                  ? ""
                  : " within the cap of " + Money.format(request.capMinor(), currency))
              + "; these come closest ("
              + Money.format(total, currency)
              + ")");
    }
    return new Basket(
        currency,
        cartTotal,
        added,
        total,
        reached ? total - request.thresholdMinor() : 0,
        reached,
        notes);
  }

  private static long[] toLongs(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  private static float[] scoresOf(List<RecommendedItem> candidates) {
    float[] scores = new float[candidates.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = candidates.get(i).score();
    }
    return scores;
  }

  /** A subset of candidates: their indexes, cheapest first. */
  record Choice(int[] members, long sum, float score) {}

  /**
   * The best subset of candidates priced {@code prices} (see {@link Search}); null when there are
   * none.
   */
  static Choice choose(
      long[] prices, float[] scores, long gap, long room, int maxItems, long tolerance) {
    return new Search(prices, scores, gap, room, maxItems, tolerance).run();
  }

  /**
   * Exact search over subsets of at most {@code maxItems} candidates. First pass: the least
   * overshoot of any subset reaching {@code gap} within {@code room}. Second: among subsets within
   * {@code tolerance} of it, the fewest items, then the highest summed score. When none reaches the
   * gap: the subset with the largest sum within room, then the highest score.
   */
  private static final class Search {
    private final long[] prices;
    private final float[] scores;
    private final int[] order;
    private final long gap;
    private final long room;
    private final int maxItems;
    private final long tolerance;
    private final int[] stack;
    private long leastOvershoot = Long.MAX_VALUE;
    private Choice best;
    private boolean secondPass;

    Search(long[] prices, float[] scores, long gap, long room, int maxItems, long tolerance) {
      this.prices = prices;
      this.scores = scores;
      this.gap = gap;
      this.room = room;
      this.maxItems = maxItems;
      this.tolerance = tolerance;
      this.stack = new int[maxItems];
      Integer[] boxed = new Integer[prices.length];
      Arrays.setAll(boxed, i -> i);
      Arrays.sort(boxed, (a, b) -> Long.compare(prices[a], prices[b]));
      this.order = Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    }

    Choice run() {
      walk(0, 0, 0L, 0f);
      if (leastOvershoot != Long.MAX_VALUE) {
        secondPass = true;
        best = null;
        walk(0, 0, 0L, 0f);
      }
      return best;
    }

    /**
     * Extends the subset in {@code stack[0..depth)} with candidates from position {@code from} on.
     */
    private void walk(int from, int depth, long sum, float score) {
      for (int p = from; p < order.length; p++) {
        int c = order[p];
        long next = sum + prices[c];
        if (next > room) {
          return; // ascending prices: every later one passes the cap too
        }
        stack[depth] = c;
        float nextScore = score + scores[c];
        if (next >= gap) {
          consider(depth + 1, next, nextScore);
          continue; // more items would only add to the overshoot
        }
        considerShort(depth + 1, next, nextScore);
        if (depth + 1 < maxItems) {
          walk(p + 1, depth + 1, next, nextScore);
        }
      }
    }

    private void consider(int size, long sum, float score) {
      long overshoot = sum - gap;
      if (!secondPass) {
        leastOvershoot = Math.min(leastOvershoot, overshoot);
        return;
      }
      if (overshoot > leastOvershoot + tolerance) {
        return;
      }
      if (best == null
          || size < best.members.length
          || (size == best.members.length && score > best.score)) {
        best = new Choice(Arrays.copyOf(stack, size), sum, score);
      }
    }

    /** A subset short of the gap: kept only while no subset reaches it. */
    private void considerShort(int size, long sum, float score) {
      if (secondPass || leastOvershoot != Long.MAX_VALUE) {
        return;
      }
      if (best == null || sum > best.sum || (sum == best.sum && score > best.score)) {
        best = new Choice(Arrays.copyOf(stack, size), sum, score);
      }
    }
  }
}
