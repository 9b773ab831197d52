package dev.magpie.engine.route;

import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.recommend.FoundItems;
import dev.magpie.engine.recommend.RecommendPlan;
import dev.magpie.engine.recommend.RecommendRequest;
import dev.magpie.engine.recommend.RecommendResult;
import dev.magpie.engine.recommend.RecommendShard;
import dev.magpie.engine.recommend.Recommender;
import dev.magpie.engine.recommend.UserProfiles;
import dev.magpie.engine.search.SearchFilters;
import dev.magpie.engine.snapshot.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Recommendations over the shards of one catalog opened in this process, planned and merged as the
 * router plans and merges them ({@link RecommendPlan}), each phase asking the shards one after
 * another: what {@code magpie eval recommend --shards} measures and the tests compare with one
 * node. Thread-safe.
 */
public final class ShardedRecommender {
  private final List<RecommendShard> shards;
  private final RankingModel model;

  /** A recommender over {@code parts}, one per shard in shard order, scoring with {@code model}. */
  public ShardedRecommender(List<Snapshot> parts, RankingModel model) {
    List<RecommendShard> s = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      Snapshot part = parts.get(i);
      RecommendShard shard =
          new RecommendShard(part, new UserProfiles(part::items, part.userHistories(), i));
      if (shard.shard() != i) {
        throw new IllegalArgumentException(
            "snapshot " + i + " holds shard " + shard.shard() + ": give the shards in order");
      }
      s.add(shard);
    }
    this.shards = List.copyOf(s);
    this.model = model;
  }

  /** As {@link Recommender#recommend(RecommendRequest)} over the whole catalog. */
  public RecommendResult recommend(RecommendRequest request) {
    RecommendPlan plan = RecommendPlan.recommend(request, shards.size());
    return plan.merge(answer(plan), model);
  }

  /** As {@link Recommender#similarItems(String, int, SearchFilters)} over the whole catalog. */
  public RecommendResult similarItems(String id, int k, SearchFilters filter) {
    RecommendPlan plan = RecommendPlan.similar(id, k, filter, shards.size());
    return plan.merge(answer(plan), model);
  }

  private List<FoundItems> answer(RecommendPlan plan) {
    return plan.runIn(shards, RecommendShard::items);
  }
}
