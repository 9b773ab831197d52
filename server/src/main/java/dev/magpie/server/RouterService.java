package dev.magpie.server;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.magpie.api.v1.Candidate;
import dev.magpie.api.v1.CandidatesRequest;
import dev.magpie.api.v1.CandidatesResponse;
import dev.magpie.api.v1.CompareItemsRequest;
import dev.magpie.api.v1.CompareItemsResponse;
import dev.magpie.api.v1.CompleteBasketRequest;
import dev.magpie.api.v1.CompleteBasketResponse;
import dev.magpie.api.v1.Coverage;
import dev.magpie.api.v1.FetchRequest;
import dev.magpie.api.v1.FetchResponse;
import dev.magpie.api.v1.FetchedItem;
import dev.magpie.api.v1.GetItemsRequest;
import dev.magpie.api.v1.GetItemsResponse;
import dev.magpie.api.v1.Item;
import dev.magpie.api.v1.ItemUpdate;
import dev.magpie.api.v1.LogPosition;
import dev.magpie.api.v1.MagpieGrpc;
import dev.magpie.api.v1.PrepareRequest;
import dev.magpie.api.v1.PrepareResponse;
import dev.magpie.api.v1.RecommendRequest;
import dev.magpie.api.v1.RecommendResponse;
import dev.magpie.api.v1.RecordEventsRequest;
import dev.magpie.api.v1.RecordEventsResponse;
import dev.magpie.api.v1.SearchHit;
import dev.magpie.api.v1.SearchRequest;
import dev.magpie.api.v1.SearchResponse;
import dev.magpie.api.v1.ShardGrpc;
import dev.magpie.api.v1.SimilarItemsRequest;
import dev.magpie.api.v1.TypoPhase;
import dev.magpie.api.v1.Understood;
import dev.magpie.api.v1.UpdateItemsRequest;
import dev.magpie.api.v1.UpdateItemsResponse;
import dev.magpie.cluster.log.UpdatePublisher;
import dev.magpie.engine.InvalidRequestException;
import dev.magpie.engine.live.LiveRecords;
import dev.magpie.engine.live.LiveUpdate;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.route.RoutedSearch;
import dev.magpie.engine.route.ShardCandidates;
import dev.magpie.engine.search.Constraint;
import dev.magpie.engine.search.Fusion;
import dev.magpie.engine.search.HybridHit;
import dev.magpie.engine.shard.ShardFunction;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code magpie.v1.Magpie} service of a router: answers as one server over the whole catalog
 * would, from the shards. Search scatters the hybrid search's candidates phase to one replica of
 * every shard (hedged, {@link ShardGroup}), runs the typo-tolerant phase everywhere when all shards
 * together found too few, fuses and reranks once over every shard's candidates ({@link
 * RoutedSearch}), then fetches the hits it keeps from their shards. A shard that does not answer in
 * time is left out and the answer says so ({@code coverage}), unless the caller asked for full
 * coverage. GetItems goes to the shards that hold the ids. Recommend and SimilarItems run the
 * recommendation's phases over the shards and merge once here ({@link RoutedRecommend}).
 */
final class RouterService extends MagpieGrpc.MagpieImplBase {
  private static final Logger LOG = Logger.getLogger(RouterService.class.getName());

  /** The longest a routed call waits for its shards when its caller set no deadline. */
  static final long DEFAULT_DEADLINE_MILLIS = 10_000;

  /** Why a router without an update log refuses writes. */
  static final String NO_UPDATE_LOG =
      "this router takes no writes: it was started without the cluster's update log"
          + " (--updates-kafka)";

  private final List<ShardGroup> shards;
  private final RankingModel model;
  private final IntSupplier brownout;

  /** Publishes writes to the cluster's update log, or null: writes refused. */
  private final UpdatePublisher publisher;

  /** Where a search's phases continue: the router's request threads. */
  private final Executor executor;

  /** Recommend and SimilarItems over the shards. */
  private final RoutedRecommend recommendations;

  /** RecordEvents through the update log. */
  private final RoutedEvents events;

  RouterService(
      List<ShardGroup> shards,
      RankingModel model,
      RankingModel recommendModel,
      IntSupplier brownout,
      UpdatePublisher publisher,
      Executor executor) {
    ShardFunction.checkCount(shards.size());
    this.shards = List.copyOf(shards);
    this.model = model;
    this.brownout = brownout;
    this.publisher = publisher;
    this.executor = executor;
    this.recommendations =
        new RoutedRecommend(
            shards.size(), this::onShard, recommendModel, this::readAfter, executor);
    this.events = new RoutedEvents(shards.size(), this::onShard, publisher, executor);
  }

  /**
   * Checks a call's read-your-writes positions: each names one of the cluster's partitions (one per
   * shard) and an offset.
   */
  private List<LogPosition> readAfter(List<LogPosition> positions) {
    if (positions.size() > shards.size() * 16) {
      throw new InvalidRequestException(
          "read_after", "give at most a position per partition written, got " + positions.size());
    }
    for (int i = 0; i < positions.size(); i++) {
      LogPosition p = positions.get(i);
      if (p.getPartition() < 0 || p.getPartition() >= shards.size() || p.getOffset() < 0) {
        throw new InvalidRequestException(
            "read_after[" + i + "]",
            "partition "
                + p.getPartition()
                + ", offset "
                + p.getOffset()
                + ": the update log has partitions 0 to "
                + (shards.size() - 1)
                + " and offsets from 0");
      }
    }
    return positions;
  }

  /** The {@link System#nanoTime()} by which the current call must be answered. */
  private static long deadlineNanos() {
    Deadline deadline = Context.current().getDeadline();
    long remaining =
        deadline == null
            ? TimeUnit.MILLISECONDS.toNanos(DEFAULT_DEADLINE_MILLIS)
            : deadline.timeRemaining(TimeUnit.NANOSECONDS);
    return System.nanoTime() + remaining;
  }

  /**
   * {@code rpc} on one replica of shard {@code shard} (hedged, failed over: {@link ShardGroup}),
   * the stub carrying what is left of {@code deadlineNanos}.
   */
  private <T> ListenableFuture<T> onShard(
      int shard, Function<ShardGrpc.ShardFutureStub, ListenableFuture<T>> rpc, long deadlineNanos) {
    return shards
        .get(shard)
        .call(
            (replica, remaining) ->
                rpc.apply(replica.shard().withDeadlineAfter(remaining, TimeUnit.NANOSECONDS)),
            deadlineNanos);
  }

  /** Each shard's answer, null where it gave none (the calls all done). */
  static <T> List<T> gather(List<ListenableFuture<T>> calls) {
    return gather(calls, new ArrayList<>());
  }

  /**
   * Each shard's answer, null where it gave none; {@code why} gets, for each, null or why it gave
   * none. The calls are all done (every shard call carries the caller's deadline, so a late shard
   * has failed DEADLINE_EXCEEDED by then): nothing here waits.
   */
  static <T> List<T> gather(List<ListenableFuture<T>> calls, List<String> why) {
    List<T> out = new ArrayList<>(calls.size());
    for (int s = 0; s < calls.size(); s++) {
      try {
        out.add(Futures.getDone(calls.get(s)));
        why.add(null);
      } catch (CancellationException e) {
        out.add(null);
        why.add("cancelled");
      } catch (ExecutionException e) {
        if (Status.fromThrowable(e.getCause()).getCode() == Status.Code.INVALID_ARGUMENT) {
          // The request is bad on every shard alike: the caller hears the shard's reason.
          throw Status.fromThrowable(e.getCause()).asRuntimeException();
        }
        LOG.log(Level.FINE, "shard " + s + " failed", e.getCause());
        out.add(null);
        Status status = Status.fromThrowable(e.getCause());
        why.add(
            status.getCode()
                + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")"));
      }
    }
    return out;
  }

  /**
   * Answers without holding a thread while the shards work: each phase continues on the router's
   * request threads when the last shard of the one before has answered (or failed, or run out of
   * time: every shard call carries the caller's deadline).
   */
  @Override
  public void search(SearchRequest request, StreamObserver<SearchResponse> response) {
    answer(() -> searchAsync(request), response);
  }

  /** The shards' candidates of one search, and the typo phase they came from. */
  private record Found(List<ShardCandidates> shards, TypoPhase phase) {
    List<ShardCandidates> answered() {
      return RouterService.answered(shards);
    }
  }

  /** The hits kept after merging (and reranking), and how many were lost on the way. */
  private record Kept(Found found, RoutedSearch.Answer answer, int lost) {}

  private ListenableFuture<SearchResponse> searchAsync(SearchRequest request) {
    // The same checks as a server's: k, the query's length, the filters.
    dev.magpie.engine.search.SearchRequest checked =
        dev.magpie.engine.search.SearchRequest.of(request.getQuery(), request.getK())
            .withFilters(Messages.filters(request.getFilters()));
    int level = brownout.getAsInt();
    boolean rerank = !request.getNoRerank() && level < 1;
    int k = checked.k();
    int depth = rerank ? Math.max(k, MagpieService.RERANK_DEPTH) : k;
    boolean textOnly = level >= 2;
    long deadline = deadlineNanos();
    CandidatesRequest.Builder ask =
        CandidatesRequest.newBuilder()
            .setQuery(request.getQuery())
            .setDepth(depth)
            .setFilters(request.getFilters())
            .setTextOnly(textOnly)
            .setPhase(TypoPhase.TYPO_PHASE_STRICT)
            .addAllReadAfter(readAfter(request.getReadAfterList()));
    Fusion asked = textOnly ? MagpieService.TEXT_ONLY : Fusion.DEFAULT;
    CandidatesRequest tolerant = ask.setPhase(TypoPhase.TYPO_PHASE_TOLERANT).build();
    ListenableFuture<Found> found =
        Futures.transformAsync(
            candidates(ask.setPhase(TypoPhase.TYPO_PHASE_STRICT).build(), deadline),
            strict -> {
              List<ShardCandidates> answered = answered(strict);
              if (!answered.isEmpty()
                  && RoutedSearch.typoRetryNeeded(
                      RoutedSearch.channelCandidates(checked.withK(depth), asked), answered)) {
                return Futures.transform(
                    candidates(tolerant, deadline),
                    again -> new Found(again, TypoPhase.TYPO_PHASE_TOLERANT),
                    MoreExecutors.directExecutor());
              }
              return Futures.immediateFuture(new Found(strict, TypoPhase.TYPO_PHASE_STRICT));
            },
            executor);
    ListenableFuture<Kept> kept =
        Futures.transformAsync(
            found, f -> merged(request, f, rerank, k, depth, deadline), executor);
    return Futures.transformAsync(
        kept,
        h ->
            Futures.transform(
                fetch(request, h.found().phase(), h.answer().hits(), null, deadline),
                fetched -> response(h, fetched, rerank, level),
                executor),
        executor);
  }

  /**
   * The merged hits of every shard's candidates, reranked once over all of them when asked (with
   * the features their shards return).
   */
  private ListenableFuture<Kept> merged(
      SearchRequest request, Found found, boolean rerank, int k, int depth, long deadline) {
    List<ShardCandidates> answered = found.answered();
    int covered = answered.size();
    if (covered < shards.size() && request.getRequireFullCoverage()) {
      throw Status.UNAVAILABLE
          .withDescription(
              (shards.size() - covered)
                  + " of "
                  + shards.size()
                  + " shards did not answer in time and the call asked for full coverage")
          .asRuntimeException();
    }
    if (answered.isEmpty()) {
      throw Status.UNAVAILABLE
          .withDescription("no shard answered in time (" + shards.size() + " shards)")
          .asRuntimeException();
    }
    RoutedSearch.Answer answer = RoutedSearch.merge(found.shards(), depth);
    if (!rerank || answer.hits().isEmpty()) {
      return Futures.immediateFuture(new Kept(found, answer.limit(k), 0));
    }
    // The features of every hit to rerank first; the items and explanations of the k kept after.
    return Futures.transform(
        fetch(request, found.phase(), answer.hits(), answered.getFirst().correctedText(), deadline),
        scored -> {
          List<RoutedSearch.Hit> kept = new ArrayList<>();
          List<float[]> features = new ArrayList<>();
          for (RoutedSearch.Hit h : answer.hits()) {
            FetchedItem item = scored.get(h.id());
            if (item != null) {
              kept.add(h);
              features.add(features(item));
            }
          }
          return new Kept(
              found,
              answer.withHits(RoutedSearch.rerank(kept, features, model, k)),
              answer.hits().size() - kept.size());
        },
        executor);
  }

  /** The answer: the kept hits with the items and explanations their shards returned. */
  private SearchResponse response(
      Kept kept, Map<String, FetchedItem> fetched, boolean rerank, int level) {
    RoutedSearch.Answer answer = kept.answer();
    int covered = kept.found().answered().size();
    int lost = kept.lost();
    SearchResponse.Builder out =
        SearchResponse.newBuilder()
            .setSearchedText(answer.searchedText())
            .addAllNotes(answer.notes())
            .addAllDegraded(Brownout.skipped(level))
            .setModel(rerank ? model.name() : "hybrid")
            .setCoverage(
                Coverage.newBuilder().setShardsAnswered(covered).setShardsTotal(shards.size()));
    if (covered < shards.size()) {
      out.addNotes(
          String.format(
              Locale.ROOT,
              "%d of %d shards answered in time: hits from the rest of the catalog are missing",
              covered,
              shards.size()));
    }
    for (Constraint c : answer.understood()) {
      out.addUnderstood(
          Understood.newBuilder().setKind(c.kind()).setText(c.text()).setValue(c.value()));
    }
    for (RoutedSearch.Hit h : answer.hits()) {
      FetchedItem item = fetched.get(h.id());
      if (item == null) {
        lost++;
        continue;
      }
      String channels =
          HybridHit.channelExplanation(
              h.evidence().textRank(),
              h.evidence().textScore(),
              h.evidence().vectorRank(),
              h.evidence().vectorScore());
      SearchHit.Builder hit =
          SearchHit.newBuilder()
              .setItem(item.getItem())
              .setScore(h.score())
              .setExplanation(
                  item.getTextExplanation().isEmpty()
                      ? channels
                      : channels + "; " + item.getTextExplanation());
      if (rerank) {
        hit.addAllParts(Messages.parts(h.parts()));
      }
      out.addHits(hit);
    }
    if (lost > 0) {
      out.addNotes(lost + " hits left out: their shard did not return them in time");
    }
    return out.build();
  }

  private static float[] features(FetchedItem item) {
    if (item.getFeaturesCount() == 0) {
      return null;
    }
    float[] f = new float[item.getFeaturesCount()];
    for (int i = 0; i < f.length; i++) {
      f[i] = item.getFeatures(i);
    }
    return f;
  }

  private static List<ShardCandidates> answered(List<ShardCandidates> found) {
    List<ShardCandidates> out = new ArrayList<>();
    for (ShardCandidates c : found) {
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  /** Every shard's candidates (null for a shard that gave none in time). */
  private ListenableFuture<List<ShardCandidates>> candidates(CandidatesRequest ask, long deadline) {
    List<ListenableFuture<CandidatesResponse>> calls = new ArrayList<>();
    for (int s = 0; s < shards.size(); s++) {
      calls.add(onShard(s, stub -> stub.candidates(ask), deadline));
    }
    return Futures.whenAllComplete(calls)
        .call(
            () -> {
              List<ShardCandidates> out = new ArrayList<>();
              for (CandidatesResponse r : gather(calls)) {
                out.add(r == null ? null : candidates(r));
              }
              return out;
            },
            executor);
  }

  /** The engine's form of a shard's answer. */
  static ShardCandidates candidates(CandidatesResponse r) {
    List<Constraint> understood = new ArrayList<>();
    for (Understood u : r.getUnderstoodList()) {
      understood.add(new Constraint(u.getKind(), u.getText(), u.getValue()));
    }
    List<ShardCandidates.Candidate> candidates = new ArrayList<>(r.getCandidatesCount());
    for (Candidate c : r.getCandidatesList()) {
      candidates.add(
          new ShardCandidates.Candidate(
              c.getId(),
              c.getPosition(),
              c.getTextRank(),
              c.getTextScore(),
              c.getVectorRank(),
              c.getVectorScore()));
    }
    Fusion fusion =
        new Fusion(
            Fusion.Method.valueOf(r.getFusionMethod().toUpperCase(Locale.ROOT)),
            r.getTextWeight(),
            r.getVectorWeight(),
            r.getFusionCandidates());
    return new ShardCandidates(
        r.getNothingToSearch(),
        r.getSearchedText(),
        understood,
        r.getNotesList(),
        fusion,
        r.getTextRan(),
        r.getVectorRan(),
        r.getTypoRetryAllowed(),
        r.getFuzzy(),
        r.getTextMatches(),
        candidates);
  }

  /**
   * The items of {@code hits} with their text matches, or, given the corrected text, only their
   * reranking features, from the shards that hold them.
   *
   * @param correctedText the text the reranker's features are computed for, or null for the items
   */
  private ListenableFuture<Map<String, FetchedItem>> fetch(
      SearchRequest request,
      TypoPhase phase,
      List<RoutedSearch.Hit> hits,
      String correctedText,
      long deadline) {
    Map<Integer, List<String>> byShard = new LinkedHashMap<>();
    for (RoutedSearch.Hit h : hits) {
      byShard.computeIfAbsent(h.shard(), s -> new ArrayList<>()).add(h.id());
    }
    List<ListenableFuture<FetchResponse>> calls = new ArrayList<>();
    for (Map.Entry<Integer, List<String>> e : byShard.entrySet()) {
      FetchRequest ask =
          FetchRequest.newBuilder()
              .setQuery(request.getQuery())
              .setFilters(request.getFilters())
              .setPhase(phase)
              .addAllIds(e.getValue())
              .setExplain(true)
              .setFeatures(correctedText != null)
              .setFeaturesOnly(correctedText != null)
              .setCorrectedText(correctedText == null ? "" : correctedText)
              .addAllReadAfter(request.getReadAfterList())
              .build();
      calls.add(onShard(e.getKey(), stub -> stub.fetch(ask), deadline));
    }
    return Futures.whenAllComplete(calls)
        .call(
            () -> {
              Map<String, FetchedItem> out = new HashMap<>();
              for (FetchResponse r : gather(calls)) {
                if (r != null) {
                  for (FetchedItem item : r.getItemsList()) {
                    out.put(item.getItem().getId(), item);
                  }
                }
              }
              return out;
            },
            executor);
  }

  /** The shards' items in the order {@code request} asked for them. */
  private static GetItemsResponse merged(
      GetItemsRequest request, List<Integer> asked, List<FetchResponse> parts, List<String> why) {
    Map<String, Item> found = new HashMap<>();
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i) == null) {
        throw Status.UNAVAILABLE
            .withDescription("shard " + asked.get(i) + " gave no items: " + why.get(i))
            .asRuntimeException();
      }
      for (FetchedItem item : parts.get(i).getItemsList()) {
        found.put(item.getItem().getId(), item.getItem());
      }
    }
    GetItemsResponse.Builder out = GetItemsResponse.newBuilder();
    for (String id : request.getIdsList()) {
      Item item = found.get(id);
      if (item == null) {
        out.addMissing(id);
      } else {
        out.addItems(item);
      }
    }
    return out.build();
  }

  /**
   * Checks the call's updates on the shards that hold their items (Prepare: all or nothing, new
   * items embedded there), publishes them to the update log, and answers once Kafka has
   * acknowledged every one, with the position of the last in each partition written. Replicas apply
   * them as they follow; a caller that must see them passes the positions to its next call.
   */
  @Override
  public void updateItems(
      UpdateItemsRequest request, StreamObserver<UpdateItemsResponse> response) {
    try {
      if (publisher == null) {
        throw Status.FAILED_PRECONDITION.withDescription(NO_UPDATE_LOG).asRuntimeException();
      }
      int n = request.getUpdatesCount();
      if (n < 1 || n > MagpieService.MAX_UPDATES) {
        throw new InvalidRequestException(
            "updates", "give 1 to " + MagpieService.MAX_UPDATES + ", got " + n);
      }
      readAfter(request.getReadAfterList());
      Map<Integer, PrepareRequest.Builder> byShard = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        ItemUpdate u = request.getUpdates(i);
        Messages.bounded("updates[" + i + "].item_id", u.getItemId(), Messages.MAX_ID_BYTES);
        byShard
            .computeIfAbsent(
                ShardFunction.shardOf(u.getItemId(), shards.size()),
                s -> PrepareRequest.newBuilder().addAllReadAfter(request.getReadAfterList()))
            .addUpdates(u)
            .addIndexes(i);
      }
      long deadline = deadlineNanos();
      List<Integer> asked = new ArrayList<>(byShard.keySet());
      List<ListenableFuture<PrepareResponse>> calls = new ArrayList<>();
      for (int s : asked) {
        PrepareRequest part = byShard.get(s).build();
        calls.add(onShard(s, stub -> stub.prepare(part), deadline));
      }
      Futures.whenAllComplete(calls)
          .call(
              () -> {
                try {
                  publish(
                      n,
                      asked,
                      byShard,
                      gatherAll(
                          calls, asked, "could not check its updates", "; nothing was written"),
                      response);
                } catch (RuntimeException e) {
                  MagpieService.fail(response, e);
                }
                return null;
              },
              MoreExecutors.directExecutor());
    } catch (RuntimeException e) {
      MagpieService.fail(response, e);
    }
  }

  /**
   * Every shard's answer (shards {@code asked}, in order), or UNAVAILABLE naming the first that
   * gave none: "shard 2 {@code failed}: why{@code after}".
   */
  static <T> List<T> gatherAll(
      List<ListenableFuture<T>> calls, List<Integer> asked, String failed, String after) {
    List<String> why = new ArrayList<>();
    List<T> out = gather(calls, why);
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i) == null) {
        throw Status.UNAVAILABLE
            .withDescription("shard " + asked.get(i) + " " + failed + ": " + why.get(i) + after)
            .asRuntimeException();
      }
    }
    return out;
  }

  /** Publishes the prepared records in the caller's order and answers once all are acknowledged. */
  private void publish(
      int n,
      List<Integer> asked,
      Map<Integer, PrepareRequest.Builder> byShard,
      List<PrepareResponse> prepared,
      StreamObserver<UpdateItemsResponse> response) {
    LiveUpdate[] updates = new LiveUpdate[n];
    for (int i = 0; i < asked.size(); i++) {
      PrepareRequest.Builder part = byShard.get(asked.get(i));
      PrepareResponse records = prepared.get(i);
      if (records.getRecordsCount() != part.getUpdatesCount()) {
        throw Status.INTERNAL
            .withDescription(
                "shard "
                    + asked.get(i)
                    + " prepared "
                    + records.getRecordsCount()
                    + " of "
                    + part.getUpdatesCount()
                    + " updates; nothing was written")
            .asRuntimeException();
      }
      for (int j = 0; j < records.getRecordsCount(); j++) {
        updates[part.getIndexes(j)] = LiveRecords.decode(records.getRecords(j).toByteArray());
      }
    }
    publisher
        .publish(List.of(updates))
        .whenComplete(
            (acked, failure) -> {
              if (failure != null) {
                response.onError(
                    Status.UNAVAILABLE
                        .withDescription(
                            "the update log did not acknowledge every update ("
                                + failure.getMessage()
                                + "); some may have been written: resend them, a change sets the"
                                + " same values again")
                        .asRuntimeException());
                return;
              }
              UpdateItemsResponse.Builder out = UpdateItemsResponse.newBuilder().setApplied(n);
              lastPositions(acked)
                  .forEach(
                      (partition, offset) ->
                          out.addPositions(
                              LogPosition.newBuilder().setPartition(partition).setOffset(offset)));
              response.onNext(out.build());
              response.onCompleted();
            });
  }

  /** The last acknowledged offset in each partition written, by partition. */
  static Map<Integer, Long> lastPositions(List<UpdatePublisher.Acked> acked) {
    Map<Integer, Long> last = new TreeMap<>();
    for (UpdatePublisher.Acked a : acked) {
      last.merge(a.partition(), a.offset(), Math::max);
    }
    return last;
  }

  /**
   * Publishes the call's events to their shoppers' home shards' partitions of the update log once
   * their items are known to exist ({@link RoutedEvents}).
   */
  @Override
  public void recordEvents(
      RecordEventsRequest request, StreamObserver<RecordEventsResponse> response) {
    answer(() -> events.record(request, deadlineNanos()), response);
  }

  @Override
  public void compareItems(
      CompareItemsRequest request, StreamObserver<CompareItemsResponse> response) {
    answer(() -> recommendations.compare(request, deadlineNanos()), response);
  }

  @Override
  public void completeBasket(
      CompleteBasketRequest request, StreamObserver<CompleteBasketResponse> response) {
    answer(() -> recommendations.basket(request, deadlineNanos()), response);
  }

  @Override
  public void recommend(RecommendRequest request, StreamObserver<RecommendResponse> response) {
    answer(() -> recommendations.recommend(request, deadlineNanos()), response);
  }

  @Override
  public void similarItems(
      SimilarItemsRequest request, StreamObserver<RecommendResponse> response) {
    answer(() -> recommendations.similar(request, deadlineNanos()), response);
  }

  /**
   * Answers the call with what {@code call} starts once it is done, without holding a thread until
   * then; a request {@code call} refuses at once (a bad field) is answered at once.
   */
  private static <T> void answer(Supplier<ListenableFuture<T>> call, StreamObserver<T> response) {
    ListenableFuture<T> answer;
    try {
      answer = call.get();
    } catch (RuntimeException e) {
      MagpieService.fail(response, e);
      return;
    }
    Futures.addCallback(
        answer,
        new FutureCallback<>() {
          @Override
          public void onSuccess(T r) {
            response.onNext(r);
            response.onCompleted();
          }

          @Override
          public void onFailure(Throwable t) {
            MagpieService.fail(response, t);
          }
        },
        MoreExecutors.directExecutor());
  }

  @Override
  public void getItems(GetItemsRequest request, StreamObserver<GetItemsResponse> response) {
    try {
      int n = request.getIdsCount();
      if (n < 1 || n > MagpieService.MAX_IDS) {
        throw new InvalidRequestException(
            "ids", "give 1 to " + MagpieService.MAX_IDS + " ids, got " + n);
      }
      Messages.boundedList(
          "ids", request.getIdsList(), MagpieService.MAX_IDS, Messages.MAX_ID_BYTES);
      readAfter(request.getReadAfterList());
      long deadline = deadlineNanos();
      Map<Integer, List<String>> byShard = new LinkedHashMap<>();
      for (String id : request.getIdsList()) {
        byShard
            .computeIfAbsent(ShardFunction.shardOf(id, shards.size()), s -> new ArrayList<>())
            .add(id);
      }
      List<ListenableFuture<FetchResponse>> calls = new ArrayList<>();
      List<Integer> asked = new ArrayList<>(byShard.keySet());
      for (int s : asked) {
        FetchRequest part =
            FetchRequest.newBuilder()
                .addAllIds(byShard.get(s))
                .addAllReadAfter(request.getReadAfterList())
                .build();
        calls.add(onShard(s, stub -> stub.fetch(part), deadline));
      }
      // Answered when every shard has, without holding a thread: a lookup runs on the transport
      // thread, which must not wait for the shards' answers that it may itself be reading.
      Futures.whenAllComplete(calls)
          .call(
              () -> {
                try {
                  List<String> why = new ArrayList<>();
                  response.onNext(merged(request, asked, gather(calls, why), why));
                  response.onCompleted();
                } catch (RuntimeException e) {
                  MagpieService.fail(response, e);
                }
                return null;
              },
              MoreExecutors.directExecutor());
    } catch (RuntimeException e) {
      MagpieService.fail(response, e);
    }
  }
}
