package dev.magpie.server;

import com.google.protobuf.Message;
import dev.magpie.api.v1.CompareItemsRequest;
import dev.magpie.api.v1.CompareItemsResponse;
import dev.magpie.api.v1.CompleteBasketRequest;
import dev.magpie.api.v1.CompleteBasketResponse;
import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.GetItemsResponse;
import dev.magpie.api.v1.ItemUpdate;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.RecommendRequest;
import dev.magpie.api.v1.RecommendResponse;
import dev.magpie.api.v1.RecordEventsRequest;
import dev.magpie.api.v1.RecordEventsResponse;
import dev.magpie.api.v1.SearchHit;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.SearchResponse;
import dev.magpie.api.v1.SimilarItemsRequest;
import dev.magpie.api.v1.Understood;
import dev.magpie.api.v1.UpdateItemsRequest;
import dev.magpie.api.v1.UpdateItemsResponse;
import dev.magpie.engine.InvalidRequestException;
import dev.magpie.engine.agent.BasketCompleter;
import dev.magpie.engine.agent.Comparison;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.embed.ItemText;
import dev.magpie.engine.live.LiveUpdate;
import dev.magpie.engine.recommend.Diversity;
import dev.magpie.engine.recommend.RecommendResult;
import dev.magpie.engine.search.Constraint;
import dev.magpie.engine.search.Fusion;
import dev.magpie.engine.search.HybridHit;
import dev.magpie.engine.search.HybridResult;
import dev.magpie.engine.search.SearchReranker;
import dev.magpie.engine.shard.Shard;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.View;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code magpie.v1.Magpie} service over one snapshot's engine objects: each call is validated
 * (INVALID_ARGUMENT naming the field and value), run on the engine, and mapped to its response.
 * Errors that name a bad input (InvalidRequestException) become INVALID_ARGUMENT; a caller that has
 * gone stops the call between stages (DEADLINE_EXCEEDED or CANCELLED); anything else is INTERNAL,
 * logged. Thread-safe: the engine objects are.
 */
final class MagpieService extends MagpieGrpc.MagpieImplBase {
  private static final Logger LOG = Logger.getLogger(MagpieService.class.getName());

  /** The fusion of a search skipping the vector channel (brownout level 2). */
  static final Fusion TEXT_ONLY =
      new Fusion(
          Fusion.DEFAULT.method(), Fusion.DEFAULT.textWeight(), 0f, Fusion.DEFAULT.candidates());

  /** Times a call that shared a search whose caller went away tries again. */
  static final int SHARED_RETRIES = 3;

  /** Hybrid hits the reranker reorders when fewer are asked for. */
  static final int RERANK_DEPTH = 50;

  /** The most ids one GetItems call may look up. */
  static final int MAX_IDS = 1000;

  /** The most items a recommendation's context may name. */
  static final int MAX_CONTEXT = 100;

  /** The most updates or events one call may carry. */
  static final int MAX_UPDATES = 1000;

  private final Engines engines;
  private final IntSupplier brownout;
  private final LiveUpdates live;
  private final String whyNoWrites;

  /**
   * The service over {@code engines}, skipping search stages at the {@link Brownout} level {@code
   * brownout} gives, taking live updates into {@code live} (null: updates refused).
   */
  MagpieService(Engines engines, IntSupplier brownout, LiveUpdates live) {
    this(engines, brownout, live, NO_WAL);
  }

  /**
   * A service whose writes go to {@code live}, or, when it is null, are refused saying {@code
   * whyNoWrites}.
   */
  MagpieService(Engines engines, IntSupplier brownout, LiveUpdates live, String whyNoWrites) {
    this.engines = engines;
    this.brownout = brownout;
    this.live = live;
    this.whyNoWrites = whyNoWrites;
  }

  /** Why a server without a write-ahead log refuses writes. */
  static final String NO_WAL =
      "this server takes no live updates: it was started without a write-ahead log (--no-wal)";

  /** Why a shard replica that follows the cluster's update log refuses writes. */
  static final String FOLLOWER =
      "this shard replica takes its updates from the cluster's update log: send writes to the"
          + " router, which publishes them";

  @Override
  public void compareItems(
      CompareItemsRequest request, StreamObserver<CompareItemsResponse> response) {
    answer(
        engines,
        response,
        (e, v) -> {
          Messages.boundedList("ids", request.getIdsList(), MAX_IDS, Messages.MAX_ID_BYTES);
          Messages.bounded("user", request.getUser(), Messages.MAX_ID_BYTES);
          wholeCatalog(e, "comparisons");
          before("compare");
          ItemStore items = v.items();
          Comparison c =
              e.comparer.compare(
                  v.items(),
                  request.getIdsList(),
                  request.getUser().isEmpty() ? null : request.getUser());
          return CompareMessages.response(c, id -> Messages.item(items, items.ordinalOf(id)));
        });
  }

  @Override
  public void completeBasket(
      CompleteBasketRequest request, StreamObserver<CompleteBasketResponse> response) {
    answer(
        engines,
        response,
        (e, v) -> {
          BasketCompleter.Request checked = BasketMessages.request(request);
          wholeCatalog(e, "baskets");
          before("basket");
          BasketCompleter.Basket basket = e.baskets.complete(v.items(), checked);
          ItemStore items = v.items();
          return BasketMessages.response(basket, a -> Messages.item(items, a.ordinal()));
        });
  }

  @Override
  public void updateItems(
      UpdateItemsRequest request, StreamObserver<UpdateItemsResponse> response) {
    write(
        response,
        "updates",
        request.getUpdatesCount(),
        (e, v) -> itemUpdates(e, v, request.getUpdatesList(), i -> i),
        (sequence, n) ->
            UpdateItemsResponse.newBuilder().setSequence(sequence).setApplied(n).build());
  }

  /**
   * {@code updates} checked against the engine's catalog (all or nothing) and made live updates,
   * new items embedded with the catalog's model.
   *
   * @param index each update's index in the caller's request, for the fields an error names
   * @throws InvalidRequestException naming the first update at fault
   */
  static List<LiveUpdate> itemUpdates(
      Engine e, View v, List<ItemUpdate> updates, IntUnaryOperator index) {
    List<LiveUpdate> out = new ArrayList<>(updates.size());
    Map<String, Integer> added = new HashMap<>();
    for (int i = 0; i < updates.size(); i++) {
      ItemUpdate update = updates.get(i);
      String field = "updates[" + index.applyAsInt(i) + "]";
      Messages.bounded(field + ".item_id", update.getItemId(), Messages.MAX_ID_BYTES);
      Integer addedAt = added.get(update.getItemId());
      if (addedAt != null) {
        throw new InvalidRequestException(
            field + ".item_id",
            "'"
                + update.getItemId()
                + "' is added by updates["
                + addedAt
                + "] of this request; give its sale facts there");
      }
      if (update.hasNewItem()) {
        // Checked before it is embedded, which costs milliseconds; the model's vector needs no
        // check.
        Item item =
            checked(
                    e,
                    new LiveUpdate.NewItem(
                        Messages.newItem(update, field, v.items().currencyCodes())),
                    field)
                .item();
        out.add(new LiveUpdate.NewItem(embedded(e, item, field)));
        added.put(update.getItemId(), index.applyAsInt(i));
      } else {
        out.add(checked(e, Messages.itemChange(update, field), field));
      }
    }
    return out;
  }

  /**
   * {@code item} with its vector from the model that embedded the catalog, when Magpie embedded it;
   * as it is otherwise (a catalog that brought its own vectors takes the caller's).
   */
  private static Item embedded(Engine engine, Item item, String field) {
    if (engine.itemEmbedder == null) {
      return item;
    }
    if (item.hasVector()) {
      throw new InvalidRequestException(
          field + ".new_item.vector",
          "leave it empty; this catalog was embedded"
              + " with "
              + engine.itemEmbedder.name()
              + " and the server embeds new items with it");
    }
    return item.withVector(engine.itemEmbedder.embed(ItemText.of(item)));
  }

  @Override
  public void recordEvents(
      RecordEventsRequest request, StreamObserver<RecordEventsResponse> response) {
    long now = System.currentTimeMillis() / 1000;
    write(
        response,
        "events",
        request.getEventsCount(),
        (e, v) -> {
          List<LiveUpdate> events = new ArrayList<>(request.getEventsCount());
          for (int i = 0; i < request.getEventsCount(); i++) {
            events.add(
                checked(
                    e,
                    Messages.event(request.getEvents(i), "events[" + i + "]", now),
                    "events[" + i + "]"));
          }
          return events;
        },
        (sequence, n) ->
            RecordEventsResponse.newBuilder().setSequence(sequence).setRecorded(n).build());
  }

  private static <U extends LiveUpdate> U checked(Engine engine, U update, String field) {
    String problem = engine.live.check(update);
    if (problem != null) {
      // The applier names the part of the update at fault first: "item_id: no item 'x' in the
      // catalog".
      int colon = problem.indexOf(": ");
      throw colon < 0
          ? new InvalidRequestException(field, problem)
          : new InvalidRequestException(
              field + "." + problem.substring(0, colon), problem.substring(colon + 2));
    }
    return update;
  }

  /**
   * Checks every update of a call (all or nothing), hands them to the log's writer, and answers
   * once they are durable and applied, without holding a request thread while the disk syncs.
   */
  private <T> void write(
      StreamObserver<T> response,
      String field,
      int count,
      Work<List<LiveUpdate>> parse,
      BiFunction<Long, Integer, T> reply) {
    if (live == null) {
      response.onError(
          Status.FAILED_PRECONDITION.withDescription(whyNoWrites).asRuntimeException());
      return;
    }
    List<LiveUpdate> updates;
    Engine engine = engines.acquire();
    try (View view = engine.snapshot.views().acquire()) {
      if (count < 1 || count > MAX_UPDATES) {
        throw new InvalidRequestException(field, "give 1 to " + MAX_UPDATES + ", got " + count);
      }
      updates = parse.on(engine, view);
      before("logging");
    } catch (Exception e) {
      fail(response, e);
      return;
    } finally {
      engine.release();
    }
    CompletableFuture<Long> logged;
    try {
      logged = live.submit(updates);
    } catch (RejectedExecutionException e) {
      response.onError(
          Status.RESOURCE_EXHAUSTED
              .withDescription(e.getMessage())
              .asRuntimeException(Refusals.pushback(ConcurrencyLimitInterceptor.RETRY_BASE_MS)));
      return;
    } catch (IllegalStateException e) {
      response.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    logged.whenComplete(
        (sequence, failure) -> {
          if (failure != null) {
            response.onError(
                Status.UNAVAILABLE
                    .withDescription("write-ahead log: " + failure.getMessage())
                    .asRuntimeException());
          } else {
            response.onNext(reply.apply(sequence, updates.size()));
            response.onCompleted();
          }
        });
  }

  @Override
  public void search(SearchRequest request, StreamObserver<SearchResponse> response) {
    int level = brownout.getAsInt();
    shared(
        request, level, response, Context.current(), 0, (e, v) -> searchNow(e, v, request, level));
  }

  /**
   * Answers through the engine's {@link AnswerCache}: computed here, or shared with an identical
   * call. A call that shared an answer whose computing call ended early (its caller gone) tries
   * again in its own context, at most {@value #SHARED_RETRIES} times.
   */
  private <A extends Message> void shared(
      Message request,
      int level,
      StreamObserver<A> response,
      Context context,
      int attempt,
      Work<A> work) {
    Engine engine = engines.acquire();
    AnswerCache.Answer answer;
    try (View view = engine.snapshot.views().acquire()) {
      answer = engine.answers.answer(request, level, view.epoch(), () -> work.on(engine, view));
    } finally {
      engine.release();
    }
    answer
        .outcome()
        .whenComplete(
            (outcome, error) -> {
              Throwable failure = error != null ? error : outcome.failure();
              if (failure instanceof CallEndedException
                  && answer.source() != AnswerCache.Source.COMPUTED
                  && attempt < SHARED_RETRIES
                  && !context.isCancelled()) {
                context.run(() -> shared(request, level, response, context, attempt + 1, work));
              } else if (failure != null) {
                fail(response, failure);
              } else {
                @SuppressWarnings(
                    "unchecked") // the request's type decides the response's: one method per
                // request type
                A reply = (A) outcome.response();
                response.onNext(reply);
                response.onCompleted();
              }
            });
  }

  private SearchResponse searchNow(Engine e, View v, SearchRequest request, int level)
      throws IOException {
    ItemStore items = v.items();
    int k = request.getK();
    if (k < 1 || k > dev.magpie.engine.search.SearchRequest.MAX_K) {
      throw new InvalidRequestException(
          "k", "must be from 1 to " + dev.magpie.engine.search.SearchRequest.MAX_K + ", got " + k);
    }
    if (request.getQuery().length() > dev.magpie.engine.search.SearchRequest.MAX_QUERY_CHARS) {
      throw new InvalidRequestException(
          "query",
          "at most "
              + dev.magpie.engine.search.SearchRequest.MAX_QUERY_CHARS
              + " characters, got "
              + request.getQuery().length());
    }
    before("search");
    boolean rerank = !request.getNoRerank() && level < 1;
    int depth = rerank ? Math.max(k, RERANK_DEPTH) : k;
    // Reranked: the candidates unexplained, then only the k hits returned explained.
    dev.magpie.engine.search.SearchRequest engineRequest =
        dev.magpie.engine.search.SearchRequest.of(request.getQuery(), depth)
            .withFilters(Messages.filters(request.getFilters()))
            .withExplanations(!rerank);
    HybridResult result =
        e.searcher.search(v, engineRequest, null, level >= 2 ? TEXT_ONLY : Fusion.DEFAULT);
    SearchResponse.Builder out =
        SearchResponse.newBuilder()
            .setSearchedText(result.searchedText())
            .addAllNotes(result.notes())
            .addAllDegraded(Brownout.skipped(level));
    for (Constraint c : result.understood()) {
      out.addUnderstood(
          Understood.newBuilder().setKind(c.kind()).setText(c.text()).setValue(c.value()));
    }
    if (!rerank) {
      out.setModel("hybrid");
      for (HybridHit hit : result.hits()) {
        out.addHits(
            SearchHit.newBuilder()
                .setItem(Messages.item(items, hit.ordinal()))
                .setScore(hit.score())
                .setExplanation(hit.explanation()));
      }
    } else {
      before("rerank");
      out.setModel(e.searchModel);
      List<SearchReranker.RankedHit> ranked = e.reranker.rerank(v, result, k);
      List<HybridHit> returned = new ArrayList<>(ranked.size());
      for (SearchReranker.RankedHit hit : ranked) {
        returned.add(hit.hit());
      }
      List<HybridHit> explained = result.explained(returned);
      for (int i = 0; i < ranked.size(); i++) {
        SearchReranker.RankedHit hit = ranked.get(i);
        out.addHits(
            SearchHit.newBuilder()
                .setItem(Messages.item(items, hit.hit().ordinal()))
                .setScore(hit.score())
                .addAllParts(Messages.parts(hit.parts()))
                .setExplanation(explained.get(i).explanation()));
      }
    }
    return out.build();
  }

  @Override
  public void getItems(GetItemsRequest request, StreamObserver<GetItemsResponse> response) {
    answer(
        engines,
        response,
        (e, v) -> {
          ItemStore items = v.items();
          int n = request.getIdsCount();
          if (n < 1 || n > MAX_IDS) {
            throw new InvalidRequestException("ids", "give 1 to " + MAX_IDS + " ids, got " + n);
          }
          Messages.boundedList("ids", request.getIdsList(), MAX_IDS, Messages.MAX_ID_BYTES);
          GetItemsResponse.Builder out = GetItemsResponse.newBuilder();
          for (String id : request.getIdsList()) {
            int ordinal = items.ordinalOf(id);
            if (ordinal < 0) {
              out.addMissing(id);
            } else {
              out.addItems(Messages.item(items, ordinal));
            }
          }
          return out.build();
        });
  }

  @Override
  public void recommend(RecommendRequest request, StreamObserver<RecommendResponse> response) {
    shared(
        request,
        0,
        response,
        Context.current(),
        0,
        (e, v) -> {
          dev.magpie.engine.recommend.RecommendRequest checked = recommendRequest(request);
          wholeCatalog(e, "recommendations");
          before("recommend");
          RecommendResult result = e.recommender.recommend(v.items(), checked);
          return recommendations(v.items(), result);
        });
  }

  /**
   * The engine's form of a Recommend call, checked as a server checks it (a router too).
   *
   * @throws InvalidRequestException naming the field and value that are wrong
   */
  static dev.magpie.engine.recommend.RecommendRequest recommendRequest(RecommendRequest request) {
    float exploration =
        request.hasExplorationShare()
            ? request.getExplorationShare()
            : dev.magpie.engine.recommend.RecommendRequest.DEFAULT_EXPLORATION;
    if (!(exploration >= 0 && exploration <= 0.5f)) {
      throw new InvalidRequestException(
          "exploration_share", "must be from 0 to 0.5, got " + exploration);
    }
    checkK(request.getK());
    Messages.bounded("user", request.getUser(), Messages.MAX_ID_BYTES);
    Messages.boundedList("context", request.getContextList(), MAX_CONTEXT, Messages.MAX_ID_BYTES);
    Messages.bounded("occasion", request.getOccasion(), Messages.MAX_ID_BYTES);
    return new dev.magpie.engine.recommend.RecommendRequest(
        request.getUser().isEmpty() ? null : request.getUser(),
        request.getContextList(),
        request.getOccasion().isEmpty() ? null : request.getOccasion(),
        request.getK(),
        Messages.filters(request.getFilters()),
        request.getNoDiversity() ? Diversity.NONE : Diversity.DEFAULT,
        exploration);
  }

  /**
   * Checks a SimilarItems call as a server checks it (a router too).
   *
   * @throws InvalidRequestException naming the field and value that are wrong
   */
  static void checkSimilar(SimilarItemsRequest request) {
    if (request.getId().isEmpty()) {
      throw new InvalidRequestException("id", "required");
    }
    Messages.bounded("id", request.getId(), Messages.MAX_ID_BYTES);
    checkK(request.getK());
  }

  @Override
  public void similarItems(
      SimilarItemsRequest request, StreamObserver<RecommendResponse> response) {
    shared(
        request,
        0,
        response,
        Context.current(),
        0,
        (e, v) -> {
          checkSimilar(request);
          wholeCatalog(e, "similar items");
          before("similar items");
          return recommendations(
              v.items(),
              e.recommender.similarItems(
                  v.items(),
                  request.getId(),
                  request.getK(),
                  Messages.filters(request.getFilters())));
        });
  }

  /**
   * Refuses a call that needs the whole catalog on a server that holds one of several shards of it:
   * FAILED_PRECONDITION, naming the shard and where to ask instead.
   */
  static void wholeCatalog(Engine e, String what) {
    Shard shard = e.shard;
    if (shard != null && shard.count() > 1) {
      throw Status.FAILED_PRECONDITION
          .withDescription(
              "this server holds shard "
                  + shard.index()
                  + " of "
                  + shard.count()
                  + ": "
                  + what
                  + " need the whole catalog; ask the cluster's router (magpie route)")
          .asRuntimeException();
    }
  }

  private static void checkK(int k) {
    if (k < 1 || k > dev.magpie.engine.recommend.RecommendRequest.MAX_K) {
      throw new InvalidRequestException(
          "k",
          "must be from 1 to " + dev.magpie.engine.recommend.RecommendRequest.MAX_K + ", got " + k);
    }
  }

  private static RecommendResponse recommendations(ItemStore items, RecommendResult result) {
    return RecommendMessages.recommendations(result, item -> Messages.item(items, item.ordinal()));
  }

  /**
   * Stops a call whose caller has gone (deadline passed or cancelled) before it starts {@code
   * stage}: work nobody will read is skipped, which matters most when the server is behind.
   */
  static void before(String stage) {
    Context context = Context.current();
    if (context.isCancelled()) {
      Deadline deadline = context.getDeadline();
      throw new CallEndedException(
          deadline != null && deadline.isExpired()
              ? Status.DEADLINE_EXCEEDED.withDescription("deadline passed before " + stage)
              : Status.CANCELLED.withDescription("cancelled by the caller before " + stage));
    }
  }

  /** A call stopped between stages because its caller has gone. */
  static final class CallEndedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Status status;

    CallEndedException(Status status) {
      super(status.getDescription(), null, false, false);
      this.status = status;
    }
  }

  /**
   * What a call does with the engine it runs on and the view of it the call holds: the call reads
   * the live state through the view only, so it sees every committed batch or none.
   */
  interface Work<T> {
    T on(Engine engine, View view) throws Exception;
  }

  /**
   * Runs {@code work} on the current engine (held for the call, so a reload cannot close it
   * underneath) and answers with its result or the status its failure maps to.
   */
  static <T> void answer(Engines engines, StreamObserver<T> response, Work<T> work) {
    T result;
    Engine engine = engines.acquire();
    try (View view = engine.snapshot.views().acquire()) {
      result = work.on(engine, view);
    } catch (Exception e) {
      fail(response, e);
      return;
    } finally {
      engine.release();
    }
    response.onNext(result);
    response.onCompleted();
  }

  /**
   * Answers with the status {@code failure} maps to: a caller's mistake ({@link
   * InvalidRequestException}) is INVALID_ARGUMENT with its message; a call that ended is its
   * status; anything else is Magpie's own error, answered INTERNAL with an id and no message (which
   * could show internals), and logged with the same id so the caller's report finds it.
   */
  static void fail(StreamObserver<?> response, Throwable failure) {
    if (failure instanceof InvalidRequestException) {
      response.onError(
          Status.INVALID_ARGUMENT.withDescription(failure.getMessage()).asRuntimeException());
    } else if (failure instanceof CallEndedException ended) {
      response.onError(ended.status.asRuntimeException());
    } else if (failure instanceof StatusRuntimeException answer
        && answer.getStatus().getCode() != Status.Code.INTERNAL
        && answer.getStatus().getCode() != Status.Code.UNKNOWN) {
      // A status chosen on purpose (a router's UNAVAILABLE, a shard's INVALID_ARGUMENT passed on).
      response.onError(answer.getStatus().asRuntimeException());
    } else {
      String id = ErrorIds.next();
      LOG.log(Level.WARNING, "request failed, error id " + id, failure);
      response.onError(
          Status.INTERNAL
              .withDescription("internal error " + id + " (the server's log has it)")
              .asRuntimeException());
    }
  }
}
