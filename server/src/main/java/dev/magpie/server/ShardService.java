package dev.magpie.server;

import com.google.common.primitives.Ints;
import com.google.protobuf.ByteString;
import dev.magpie.api.v1.Candidate;
import dev.magpie.api.v1.CandidatesRequest;
import dev.magpie.api.v1.CandidatesResponse;
import dev.magpie.api.v1.DescribeRequest;
import dev.magpie.api.v1.DescribeResponse;
import dev.magpie.api.v1.FetchRequest;
import dev.magpie.api.v1.FetchResponse;
import dev.magpie.api.v1.FetchedItem;
import dev.magpie.api.v1.Item;
import dev.magpie.api.v1.ItemFactsRequest;
import dev.magpie.api.v1.ItemFactsResponse;
import dev.magpie.api.v1.LogPosition;
import dev.magpie.api.v1.PrepareRequest;
import dev.magpie.api.v1.PrepareResponse;
import dev.magpie.api.v1.RecommendCandidatesRequest;
import dev.magpie.api.v1.RecommendCandidatesResponse;
import dev.magpie.api.v1.ShardGrpc;
import dev.magpie.api.v1.ShopperEventsRequest;
import dev.magpie.api.v1.ShopperEventsResponse;
import dev.magpie.api.v1.TypoPhase;
import dev.magpie.api.v1.Understood;
import dev.magpie.engine.InvalidRequestException;
import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.live.LiveRecords;
import dev.magpie.engine.live.LiveUpdate;
import dev.magpie.engine.live.StateChecksum;
import dev.magpie.engine.recommend.CandidateQuery;
import dev.magpie.engine.recommend.RecommendRequest;
import dev.magpie.engine.recommend.RecommendShard;
import dev.magpie.engine.route.ShardCandidates;
import dev.magpie.engine.search.Constraint;
import dev.magpie.engine.search.Fusion;
import dev.magpie.engine.search.SearchHit;
import dev.magpie.engine.search.SearchRequest;
import dev.magpie.engine.search.TermMatch;
import dev.magpie.engine.search.TextSearcher;
import dev.magpie.engine.shard.Shard;
import dev.magpie.engine.shard.ShardFunction;
import dev.magpie.engine.snapshot.ItemStore;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.IntUnaryOperator;

/**
 * The {@code magpie.v1.Shard} service: a shard's half of the calls a router answers ({@link
 * dev.magpie.engine.route.ShardSearcher}). Requests are checked as the Magpie service checks them.
 */
final class ShardService extends ShardGrpc.ShardImplBase {
  /** Most ids one fetch may name. */
  static final int MAX_FETCH = 1000;

  private final Engines engines;

  /** The replica's follower of the cluster's update log, or null. */
  private final ShardFollower follower;

  /** Where a call that waited for its read-after positions is answered: the request pool. */
  private final Executor executor;

  ShardService(Engines engines, ShardFollower follower, Executor executor) {
    this.engines = engines;
    this.follower = follower;
    this.executor = executor;
  }

  /** Which typo phase the router asked for. */
  static TextSearcher.TypoRetry phase(TypoPhase phase) {
    return phase == TypoPhase.TYPO_PHASE_TOLERANT
        ? TextSearcher.TypoRetry.TOLERANT
        : TextSearcher.TypoRetry.STRICT;
  }

  @Override
  public void candidates(CandidatesRequest request, StreamObserver<CandidatesResponse> response) {
    answerAfter(
        request.getReadAfterList(),
        response,
        (e, v) -> {
          SearchRequest search =
              SearchRequest.of(request.getQuery(), request.getDepth())
                  .withFilters(Messages.filters(request.getFilters()))
                  .withExplanations(false);
          MagpieService.before("candidates");
          ShardCandidates found =
              e.shardSearcher.candidates(
                  v,
                  search,
                  null,
                  request.getTextOnly() ? MagpieService.TEXT_ONLY : Fusion.DEFAULT,
                  phase(request.getPhase()));
          return message(found);
        });
  }

  static CandidatesResponse message(ShardCandidates found) {
    CandidatesResponse.Builder out =
        CandidatesResponse.newBuilder()
            .setNothingToSearch(found.nothingToSearch())
            .setSearchedText(found.searchedText())
            .addAllNotes(found.notes())
            .setFusionMethod(found.fusion().method().name().toLowerCase(Locale.ROOT))
            .setTextWeight(found.fusion().textWeight())
            .setVectorWeight(found.fusion().vectorWeight())
            .setFusionCandidates(found.fusion().candidates())
            .setTextRan(found.textRan())
            .setVectorRan(found.vectorRan())
            .setTypoRetryAllowed(found.typoRetryAllowed())
            .setFuzzy(found.fuzzy())
            .setTextMatches(found.textMatches());
    for (Constraint c : found.understood()) {
      out.addUnderstood(
          Understood.newBuilder().setKind(c.kind()).setText(c.text()).setValue(c.value()));
    }
    for (ShardCandidates.Candidate c : found.candidates()) {
      Candidate.Builder b =
          Candidate.newBuilder()
              .setId(c.id())
              .setPosition(c.position())
              .setTextRank(c.textRank())
              .setTextScore(c.textScore())
              .setVectorRank(c.vectorRank())
              .setVectorScore(c.vectorScore());
      out.addCandidates(b);
    }
    return out.build();
  }

  @Override
  public void fetch(FetchRequest request, StreamObserver<FetchResponse> response) {
    answerAfter(
        request.getReadAfterList(),
        response,
        (e, v) -> {
          Messages.boundedList("ids", request.getIdsList(), MAX_FETCH, Messages.MAX_ID_BYTES);
          ItemStore items = v.items();
          List<List<TermMatch>> matches =
              request.getExplain() && !request.getFeaturesOnly()
                  ? e.shardSearcher.explain(
                      v,
                      SearchRequest.of(request.getQuery(), 1)
                          .withFilters(Messages.filters(request.getFilters())),
                      phase(request.getPhase()),
                      request.getIdsList())
                  : null;
          List<float[]> features =
              request.getFeatures()
                  ? e.shardSearcher.features(v, request.getCorrectedText(), request.getIdsList())
                  : null;
          FetchResponse.Builder out = FetchResponse.newBuilder();
          for (int i = 0; i < request.getIdsCount(); i++) {
            int ordinal = items.ordinalOf(request.getIds(i));
            if (ordinal < 0) {
              continue;
            }
            FetchedItem.Builder item =
                request.getFeaturesOnly()
                    ? FetchedItem.newBuilder().setItem(Item.newBuilder().setId(request.getIds(i)))
                    : FetchedItem.newBuilder().setItem(Messages.item(items, ordinal));
            if (matches != null) {
              item.setTextExplanation(
                  new SearchHit(ordinal, request.getIds(i), 0f, matches.get(i)).explanation());
            }
            if (features != null) {
              for (float f : features.get(i)) {
                item.addFeatures(f);
              }
            }
            if (request.getStats()) {
              BehaviourModel behaviour = e.snapshot.behaviour();
              item.setBuys(behaviour == null ? -1 : behaviour.stats().buys(ordinal))
                  .setViews(behaviour == null ? -1 : behaviour.stats().views(ordinal));
            }
            out.addItems(item);
          }
          return out.build();
        });
  }

  /**
   * Answers with {@code work} once this replica serves the positions asked of its partition ({@link
   * ReadAfter}): at once when it does, else on the request pool when its follower gets there, no
   * thread held meanwhile; with why, when it does not in time.
   */
  private <T> void answerAfter(
      List<LogPosition> readAfter, StreamObserver<T> response, MagpieService.Work<T> work) {
    if (follower != null && !follower.caughtUp()) {
      response.onError(
          Status.UNAVAILABLE
              .withDescription(
                  "this replica is replaying its partition of the update log (at offset "
                      + follower.nextOffset()
                      + "); it answers once caught up")
              .asRuntimeException());
      return;
    }
    CompletableFuture<Void> applied;
    try {
      applied = ReadAfter.after(follower, readAfter);
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    }
    if (applied.isDone() && !applied.isCompletedExceptionally()) {
      MagpieService.answer(engines, response, work);
      return;
    }
    Context call = Context.current();
    applied.whenCompleteAsync(
        (done, failed) ->
            call.run(
                () -> {
                  if (failed != null) {
                    MagpieService.fail(
                        response, failed instanceof CompletionException c ? c.getCause() : failed);
                  } else {
                    MagpieService.answer(engines, response, work);
                  }
                }),
        executor);
  }

  @Override
  public void prepare(PrepareRequest request, StreamObserver<PrepareResponse> response) {
    answerAfter(
        request.getReadAfterList(),
        response,
        (e, v) -> {
          int n = request.getUpdatesCount();
          if (n < 1 || n > MagpieService.MAX_UPDATES) {
            throw new InvalidRequestException(
                "updates", "give 1 to " + MagpieService.MAX_UPDATES + ", got " + n);
          }
          if (request.getIndexesCount() != 0 && request.getIndexesCount() != n) {
            throw new InvalidRequestException(
                "indexes", "give one per update (" + n + "), got " + request.getIndexesCount());
          }
          Shard shard = e.shard;
          int shards = shard == null ? 1 : shard.count();
          int index = shard == null ? 0 : shard.index();
          IntUnaryOperator asked = i -> request.getIndexesCount() == 0 ? i : request.getIndexes(i);
          for (int i = 0; i < n; i++) {
            String id = request.getUpdates(i).getItemId();
            if (ShardFunction.shardOf(id, shards) != index) {
              throw new InvalidRequestException(
                  "updates[" + asked.applyAsInt(i) + "].item_id",
                  "'"
                      + id
                      + "' belongs to shard "
                      + ShardFunction.shardOf(id, shards)
                      + ", not to this shard "
                      + index
                      + " of "
                      + shards);
            }
          }
          MagpieService.before("prepare");
          PrepareResponse.Builder out = PrepareResponse.newBuilder();
          for (LiveUpdate u : MagpieService.itemUpdates(e, v, request.getUpdatesList(), asked)) {
            out.addRecords(ByteString.copyFrom(LiveRecords.encode(u)));
          }
          return out.build();
        });
  }

  /**
   * This server's recommendation store, checked: a shard built without its part of the catalog's
   * behaviour answers FAILED_PRECONDITION, saying why.
   */
  private static RecommendShard recommendShard(Engine e) {
    RecommendShard shard = e.recommender.shard();
    if (shard.refusal() != null) {
      throw Status.FAILED_PRECONDITION.withDescription(shard.refusal()).asRuntimeException();
    }
    return shard;
  }

  @Override
  public void shopperEvents(
      ShopperEventsRequest request, StreamObserver<ShopperEventsResponse> response) {
    answerAfter(
        request.getReadAfterList(),
        response,
        (e, v) -> {
          if (request.getUser().isEmpty()) {
            throw new InvalidRequestException("user", "required");
          }
          Messages.bounded("user", request.getUser(), Messages.MAX_ID_BYTES);
          MagpieService.before("shopper events");
          return RecommendMessages.events(recommendShard(e).events(v.items(), request.getUser()));
        });
  }

  @Override
  public void itemFacts(ItemFactsRequest request, StreamObserver<ItemFactsResponse> response) {
    answerAfter(
        request.getReadAfterList(),
        response,
        (e, v) -> {
          int n = request.getOrdinalsCount() + request.getIdsCount();
          if (n > MAX_FETCH) {
            throw new InvalidRequestException(
                "ordinals, ids", "at most " + MAX_FETCH + " together, got " + n);
          }
          Messages.boundedList("ids", request.getIdsList(), MAX_FETCH, Messages.MAX_ID_BYTES);
          MagpieService.before("item facts");
          return RecommendMessages.facts(
              recommendShard(e)
                  .facts(v.items(), Ints.toArray(request.getOrdinalsList()), request.getIdsList()));
        });
  }

  @Override
  public void recommendCandidates(
      RecommendCandidatesRequest request, StreamObserver<RecommendCandidatesResponse> response) {
    answerAfter(
        request.getReadAfterList(),
        response,
        (e, v) -> {
          if (request.getK() < 1 || request.getK() > RecommendRequest.MAX_K) {
            throw new InvalidRequestException(
                "k", "must be from 1 to " + RecommendRequest.MAX_K + ", got " + request.getK());
          }
          CandidateQuery query = RecommendMessages.query(request);
          MagpieService.before("recommend candidates");
          return RecommendMessages.candidates(
              recommendShard(e).candidates(v.items(), query).completed());
        });
  }

  @Override
  public void describe(DescribeRequest request, StreamObserver<DescribeResponse> response) {
    MagpieService.answer(
        engines,
        response,
        (e, v) -> {
          Shard shard = e.shard;
          DescribeResponse.Builder out =
              DescribeResponse.newBuilder()
                  .setItems(v.items().size())
                  .setNextUpdateOffset(follower == null ? -1 : follower.nextOffset());
          if (request.getStateChecksum()) {
            out.setStateChecksum(StateChecksum.of(v.items(), e.recommender.profiles()));
          }
          if (shard == null) {
            return out.setShard(0).setShards(1).setCatalogItems(v.items().size()).build();
          }
          return out.setShard(shard.index())
              .setShards(shard.count())
              .setBuild(shard.build())
              .setCatalogItems(shard.catalogItems())
              .build();
        });
  }
}
