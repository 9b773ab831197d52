package dev.magpie.server;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.SettableFuture;
import dev.magpie.api.v1.FetchRequest;
import dev.magpie.api.v1.FetchResponse;
import dev.magpie.api.v1.FetchedItem;
import dev.magpie.api.v1.LogPosition;
import dev.magpie.api.v1.RecordEventsRequest;
import dev.magpie.api.v1.RecordEventsResponse;
import dev.magpie.cluster.log.UpdatePublisher;
import dev.magpie.engine.InvalidRequestException;
import dev.magpie.engine.live.LiveUpdate;
import dev.magpie.engine.shard.ShardFunction;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * RecordEvents at a router: checks each event as a server does (user, type, time), asks the shards
 * that hold the events' items whether they exist, then publishes the events to the cluster's update
 * log, each to its shopper's home shard's partition (where their history lives), and answers once
 * Kafka has acknowledged every one, with the position of the last in each partition written. A call
 * with one bad event writes nothing.
 */
final class RoutedEvents {
  private final int shards;
  private final RoutedRecommend.ShardCaller caller;
  private final UpdatePublisher publisher;
  private final Executor executor;

  RoutedEvents(
      int shards,
      RoutedRecommend.ShardCaller caller,
      UpdatePublisher publisher,
      Executor executor) {
    this.shards = shards;
    this.caller = caller;
    this.publisher = publisher;
    this.executor = executor;
  }

  /** Records the call's events. */
  ListenableFuture<RecordEventsResponse> record(RecordEventsRequest request, long deadline) {
    if (publisher == null) {
      throw Status.FAILED_PRECONDITION
          .withDescription(RouterService.NO_UPDATE_LOG)
          .asRuntimeException();
    }
    int n = request.getEventsCount();
    if (n < 1 || n > MagpieService.MAX_UPDATES) {
      throw new InvalidRequestException(
          "events", "give 1 to " + MagpieService.MAX_UPDATES + ", got " + n);
    }
    long now = System.currentTimeMillis() / 1000;
    List<LiveUpdate> events = new ArrayList<>(n);
    Map<Integer, Set<String>> byShard = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      LiveUpdate.Event e = Messages.event(request.getEvents(i), "events[" + i + "]", now);
      events.add(e);
      byShard
          .computeIfAbsent(ShardFunction.shardOf(e.itemId(), shards), s -> new HashSet<>())
          .add(e.itemId());
    }
    List<Integer> asked = new ArrayList<>(byShard.keySet());
    List<ListenableFuture<FetchResponse>> calls = new ArrayList<>();
    for (int s : asked) {
      FetchRequest ask =
          FetchRequest.newBuilder().addAllIds(byShard.get(s)).setFeaturesOnly(true).build();
      calls.add(caller.call(s, stub -> stub.fetch(ask), deadline));
    }
    return Futures.transformAsync(
        Futures.whenAllComplete(calls).call(() -> known(calls, asked), executor),
        known -> publish(events, known),
        executor);
  }

  /** The ids the shards hold, or UNAVAILABLE naming a shard that did not answer. */
  private static Set<String> known(
      List<ListenableFuture<FetchResponse>> calls, List<Integer> asked) {
    Set<String> out = new HashSet<>();
    for (FetchResponse answer :
        RouterService.gatherAll(
            calls, asked, "could not check the events' items", "; nothing was written")) {
      for (FetchedItem item : answer.getItemsList()) {
        out.add(item.getItem().getId());
      }
    }
    return out;
  }

  private ListenableFuture<RecordEventsResponse> publish(
      List<LiveUpdate> events, Set<String> known) {
    for (int i = 0; i < events.size(); i++) {
      if (!known.contains(events.get(i).itemId())) {
        throw new InvalidRequestException(
            "events[" + i + "].item_id", "no item '" + events.get(i).itemId() + "' in the catalog");
      }
    }
    SettableFuture<RecordEventsResponse> answer = SettableFuture.create();
    publisher
        .publish(events)
        .whenComplete(
            (acked, failure) -> {
              if (failure != null) {
                answer.setException(
                    Status.UNAVAILABLE
                        .withDescription(
                            "the update log did not acknowledge every event ("
                                + failure.getMessage()
                                + "); some may have been written")
                        .asRuntimeException());
                return;
              }
              RecordEventsResponse.Builder out =
                  RecordEventsResponse.newBuilder().setRecorded(events.size());
              RouterService.lastPositions(acked)
                  .forEach(
                      (partition, offset) ->
                          out.addPositions(
                              LogPosition.newBuilder().setPartition(partition).setOffset(offset)));
              answer.set(out.build());
            });
    return answer;
  }
}
