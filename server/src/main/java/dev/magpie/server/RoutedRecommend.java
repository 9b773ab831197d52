package dev.magpie.server;

import com.google.common.primitives.Ints;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.magpie.api.v1.CompareItemsRequest;
import dev.magpie.api.v1.CompareItemsResponse;
import dev.magpie.api.v1.CompleteBasketRequest;
import dev.magpie.api.v1.CompleteBasketResponse;
import dev.magpie.api.v1.FetchRequest;
import dev.magpie.api.v1.FetchResponse;
import dev.magpie.api.v1.FetchedItem;
import dev.magpie.api.v1.Filters;
import dev.magpie.api.v1.Item;
import dev.magpie.api.v1.ItemFactsRequest;
import dev.magpie.api.v1.ItemFactsResponse;
import dev.magpie.api.v1.LogPosition;
import dev.magpie.api.v1.RecommendCandidatesRequest;
import dev.magpie.api.v1.RecommendCandidatesResponse;
import dev.magpie.api.v1.RecommendRequest;
import dev.magpie.api.v1.RecommendResponse;
import dev.magpie.api.v1.ShardGrpc;
import dev.magpie.api.v1.ShopperEventsRequest;
import dev.magpie.api.v1.SimilarItemsRequest;
import dev.magpie.engine.agent.BasketCompleter;
import dev.magpie.engine.agent.ComparedItem;
import dev.magpie.engine.agent.ItemComparer;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.recommend.FoundItems;
import dev.magpie.engine.recommend.RecommendPlan;
import dev.magpie.engine.recommend.RecommendResult;
import dev.magpie.engine.recommend.RecommendedItem;
import dev.magpie.engine.recommend.ShopperProfile;
import dev.magpie.engine.shard.ShardFunction;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Recommend and SimilarItems at a router, as one server over the whole catalog answers them: the
 * phases of a {@link RecommendPlan} over the shards (the shopper's events from their home shard,
 * the facts of the items the request starts from from the shards that hold them, every shard's
 * candidates), the merge once at the router with the ranking model, then the kept items from their
 * shards. No phase holds a thread while shards work. A shard that gives no candidates in time is
 * left out and the answer says so; the first two phases need every shard they ask (they name the
 * shopper and the request's own items), so failing there fails the call UNAVAILABLE.
 */
final class RoutedRecommend {
  /** One call to a replica of a shard (hedged and failed over by the router). */
  interface ShardCaller {
    /** {@code rpc} on a replica of shard {@code shard} within {@code deadlineNanos}. */
    <T> ListenableFuture<T> call(
        int shard,
        Function<ShardGrpc.ShardFutureStub, ListenableFuture<T>> rpc,
        long deadlineNanos);
  }

  private final int shards;
  private final ShardCaller caller;
  private final RankingModel model;
  private final Executor executor;

  /** Checks a call's read-your-writes positions (the router's rule). */
  private final UnaryOperator<List<LogPosition>> readAfter;

  RoutedRecommend(
      int shards,
      ShardCaller caller,
      RankingModel model,
      UnaryOperator<List<LogPosition>> readAfter,
      Executor executor) {
    this.shards = shards;
    this.readAfter = readAfter;
    this.caller = caller;
    this.model = model;
    this.executor = executor;
  }

  /** Recommend over the shards. */
  ListenableFuture<RecommendResponse> recommend(RecommendRequest request, long deadline) {
    RecommendPlan plan = RecommendPlan.recommend(MagpieService.recommendRequest(request), shards);
    return run(plan, request.getFilters(), List.of(), deadline);
  }

  /** SimilarItems over the shards. */
  ListenableFuture<RecommendResponse> similar(SimilarItemsRequest request, long deadline) {
    MagpieService.checkSimilar(request);
    RecommendPlan plan =
        RecommendPlan.similar(
            request.getId(), request.getK(), Messages.filters(request.getFilters()), shards);
    return run(plan, request.getFilters(), readAfter.apply(request.getReadAfterList()), deadline);
  }

  /**
   * A routed recommendation and its items' catalog entries by id (an item its shard did not return
   * in time is missing).
   */
  record Routed(RecommendResult result, Map<String, FetchedItem> fetched) {
    /** The catalog entry of item {@code id}, or null. */
    Item item(String id) {
      FetchedItem f = fetched.get(id);
      return f == null ? null : f.getItem();
    }

    RecommendResponse response() {
      return RecommendMessages.recommendations(result, item -> item(item.id()));
    }
  }

  private ListenableFuture<RecommendResponse> run(
      RecommendPlan plan, Filters filters, List<LogPosition> readAfter, long deadline) {
    return Futures.transform(
        routed(plan, filters, readAfter, deadline),
        Routed::response,
        MoreExecutors.directExecutor());
  }

  /** Runs {@code plan}'s phases over the shards, then fetches the kept items. */
  ListenableFuture<Routed> routed(
      RecommendPlan plan, Filters filters, List<LogPosition> readAfter, long deadline) {
    ListenableFuture<RecommendPlan> withFacts = known(plan, readAfter, deadline);
    ListenableFuture<RecommendResult> merged =
        Futures.transformAsync(
            withFacts, p -> candidates(p, filters, readAfter, deadline), executor);
    return Futures.transformAsync(merged, r -> items(r, readAfter, deadline), executor);
  }

  /**
   * Phases 1 and 2 of {@code plan}: the shopper's events, then the facts of the request's items.
   */
  private ListenableFuture<RecommendPlan> known(
      RecommendPlan plan, List<LogPosition> readAfter, long deadline) {
    ListenableFuture<RecommendPlan> withEvents =
        plan.user() == null
            ? Futures.immediateFuture(plan)
            : Futures.transform(
                caller.call(
                    plan.homeShard(),
                    stub ->
                        stub.shopperEvents(
                            ShopperEventsRequest.newBuilder()
                                .setUser(plan.user())
                                .addAllReadAfter(readAfter)
                                .build()),
                    deadline),
                events -> {
                  plan.events(RecommendMessages.events(plan.user(), events));
                  return plan;
                },
                executor);
    return Futures.transformAsync(withEvents, p -> facts(p, readAfter, deadline), executor);
  }

  /**
   * CompareItems over the shards: the items with what shoppers did with them from their shards,
   * and, for a named shopper, their profile from the recommendation's first two phases; then the
   * comparison as one server makes it ({@link ItemComparer}).
   */
  ListenableFuture<CompareItemsResponse> compare(CompareItemsRequest request, long deadline) {
    Messages.boundedList(
        "ids", request.getIdsList(), ItemComparer.MAX_ITEMS, Messages.MAX_ID_BYTES);
    Messages.bounded("user", request.getUser(), Messages.MAX_ID_BYTES);
    ItemComparer.checkCount(request.getIdsList());
    ListenableFuture<Map<String, FetchedItem>> fetched =
        fetch(request.getIdsList(), List.of(), deadline, true, true);
    ListenableFuture<ShopperProfile> shopper =
        request.getUser().isEmpty()
            ? Futures.immediateFuture(null)
            : Futures.transform(
                known(
                    RecommendPlan.recommend(
                        dev.magpie.engine.recommend.RecommendRequest.forUser(request.getUser(), 1),
                        shards),
                    List.of(),
                    deadline),
                RecommendPlan::shopper,
                executor);
    return Futures.whenAllSucceed(fetched, shopper)
        .call(
            () -> {
              Map<String, FetchedItem> items = Futures.getDone(fetched);
              List<ComparedItem> compared =
                  ItemComparer.resolve(
                      request.getIdsList(),
                      id -> items.containsKey(id) ? CompareMessages.compared(items.get(id)) : null);
              return CompareMessages.response(
                  ItemComparer.compare(compared, Futures.getDone(shopper)),
                  id -> items.get(id).getItem());
            },
            executor);
  }

  /** Phase 2: the facts of the request's items from the shards that hold them. */
  private ListenableFuture<RecommendPlan> facts(
      RecommendPlan plan, List<LogPosition> readAfter, long deadline) {
    List<Integer> asked = new ArrayList<>(plan.factsAsks().keySet());
    List<ListenableFuture<ItemFactsResponse>> calls = new ArrayList<>();
    for (int s : asked) {
      RecommendPlan.FactsAsk ask = plan.factsAsks().get(s);
      ItemFactsRequest built =
          ItemFactsRequest.newBuilder()
              .addAllIds(ask.ids())
              .addAllOrdinals(Ints.asList(ask.ordinals()))
              .addAllReadAfter(readAfter)
              .build();
      calls.add(caller.call(s, stub -> stub.itemFacts(built), deadline));
    }
    return Futures.whenAllComplete(calls)
        .call(
            () -> {
              List<ItemFactsResponse> answers =
                  RouterService.gatherAll(calls, asked, "gave no facts of the request's items", "");
              for (int i = 0; i < asked.size(); i++) {
                plan.facts(asked.get(i), RecommendMessages.facts(answers.get(i)));
              }
              return plan;
            },
            executor);
  }

  /** Phase 3: every shard's candidates, merged as one node merges them. */
  private ListenableFuture<RecommendResult> candidates(
      RecommendPlan plan, Filters filters, List<LogPosition> readAfter, long deadline) {
    List<ListenableFuture<RecommendCandidatesResponse>> calls = new ArrayList<>();
    for (int s = 0; s < shards; s++) {
      RecommendCandidatesRequest ask =
          RecommendCandidatesRequest.newBuilder(RecommendMessages.query(plan.query(s), filters))
              .addAllReadAfter(readAfter)
              .build();
      calls.add(caller.call(s, stub -> stub.recommendCandidates(ask), deadline));
    }
    return Futures.whenAllComplete(calls)
        .call(
            () -> {
              List<RecommendCandidatesResponse> answers = RouterService.gather(calls);
              List<FoundItems> found = new ArrayList<>();
              for (int s = 0; s < shards; s++) {
                if (answers.get(s) != null) {
                  found.add(RecommendMessages.candidates(s, answers.get(s)));
                }
              }
              if (found.isEmpty()) {
                throw Status.UNAVAILABLE
                    .withDescription("no shard answered in time (" + shards + " shards)")
                    .asRuntimeException();
              }
              RecommendResult result = plan.merge(found, model);
              if (found.size() < shards) {
                List<String> notes = new ArrayList<>(result.notes());
                notes.add(
                    String.format(
                        Locale.ROOT,
                        "%d of %d shards answered in time: items from the rest of the catalog are"
                            + " missing",
                        found.size(),
                        shards));
                result = new RecommendResult(result.items(), result.model(), notes);
              }
              return result;
            },
            executor);
  }

  /** The recommended items' catalog entries from their shards. */
  private ListenableFuture<Routed> items(
      RecommendResult result, List<LogPosition> readAfter, long deadline) {
    return Futures.transform(
        fetch(
            result.items().stream().map(RecommendedItem::id).toList(),
            readAfter,
            deadline,
            false,
            false),
        found -> new Routed(result, found),
        MoreExecutors.directExecutor());
  }

  /**
   * The catalog entries of {@code ids} from the shards that hold them, by id (an id no shard holds
   * is missing).
   *
   * @param strict fail UNAVAILABLE when a shard does not answer, rather than leave its ids out
   * @param stats with what shoppers did with each item
   */
  private ListenableFuture<Map<String, FetchedItem>> fetch(
      Collection<String> ids,
      List<LogPosition> readAfter,
      long deadline,
      boolean strict,
      boolean stats) {
    Map<Integer, List<String>> byShard = new LinkedHashMap<>();
    for (String id : new LinkedHashSet<>(ids)) {
      byShard.computeIfAbsent(ShardFunction.shardOf(id, shards), s -> new ArrayList<>()).add(id);
    }
    List<Integer> asked = new ArrayList<>(byShard.keySet());
    List<ListenableFuture<FetchResponse>> calls = new ArrayList<>();
    for (int s : asked) {
      FetchRequest ask =
          FetchRequest.newBuilder()
              .addAllIds(byShard.get(s))
              .addAllReadAfter(readAfter)
              .setStats(stats)
              .build();
      calls.add(caller.call(s, stub -> stub.fetch(ask), deadline));
    }
    return Futures.whenAllComplete(calls)
        .call(
            () -> {
              List<FetchResponse> answers =
                  strict
                      ? RouterService.gatherAll(calls, asked, "gave no items", "")
                      : RouterService.gather(calls);
              Map<String, FetchedItem> found = new HashMap<>();
              for (FetchResponse answer : answers) {
                if (answer != null) {
                  for (FetchedItem item : answer.getItemsList()) {
                    found.put(item.getItem().getId(), item);
                  }
                }
              }
              return found;
            },
            MoreExecutors.directExecutor());
  }

  /**
   * CompleteBasket over the shards: the cart's items from their shards, the candidates as a routed
   * recommendation for the cart (in stock), then the completer's exact choice, as one server
   * chooses ({@link BasketCompleter}).
   */
  ListenableFuture<CompleteBasketResponse> basket(CompleteBasketRequest request, long deadline) {
    BasketCompleter.Request checked = BasketMessages.request(request);
    List<String> ids = checked.cart().stream().map(BasketCompleter.Line::itemId).toList();
    return Futures.transformAsync(
        fetch(ids, List.of(), deadline, true, false),
        cartItems -> {
          BasketCompleter.Cart cart =
              BasketCompleter.cart(
                  checked,
                  id ->
                      BasketMessages.priced(
                          cartItems.containsKey(id) ? cartItems.get(id).getItem() : null));
          BasketCompleter.Basket done = BasketCompleter.alreadyReached(checked, cart);
          if (done != null) {
            return Futures.immediateFuture(BasketMessages.response(done, a -> null));
          }
          RecommendPlan plan =
              RecommendPlan.recommend(BasketCompleter.candidatesRequest(checked, cart), shards);
          Filters inStock = Filters.newBuilder().setInStockOnly(true).build();
          return Futures.transform(
              routed(plan, inStock, List.of(), deadline),
              r ->
                  BasketMessages.response(
                      BasketCompleter.finish(
                          checked,
                          cart,
                          r.result().items(),
                          item -> BasketMessages.priced(r.item(item.id()))),
                      a -> r.item(a.id())),
              executor);
        },
        executor);
  }
}
