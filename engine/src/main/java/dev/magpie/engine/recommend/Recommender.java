package dev.magpie.engine.recommend;

import dev.magpie.engine.InvalidRequestException;
import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.search.SearchFilters;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import java.util.List;

/**
 * Recommends items for a shopper, a cart or an item, over one snapshot: a single node, the one
 * shard of its catalog. Candidates come from one {@link CandidateChannel} per {@link Channel}, run
 * in a fixed order: behaviour's together and complement relations from the context and the
 * shopper's recent items ({@link BehaviourChannel}), the nearest items to their vectors ({@link
 * VectorChannel}), categories the knowledge file relates to theirs or the occasion names ({@link
 * KnowledgeChannel}), popular items in the starting categories ({@link PopularInCategoryChannel}),
 * the catalog's most popular as a fallback ({@link PopularChannel}), and a small exploration share
 * of items with little history ({@link ExplorationChannel}). Every candidate gets the same {@link
 * Feature} vector, is scored by a {@link RankingModel}, the list is diversified ({@link
 * Diversity}), and each item is explained by {@link Reasons}. The work is split as a cluster splits
 * it ({@link RecommendPlan} over one {@link RecommendShard}), so that a router over shards answers
 * as this does. No paid or sponsored input exists anywhere in this path. Thread-safe.
 */
public final class Recommender {
  /** An item with fewer distinct shoppers than this is "little history", fit for exploration. */
  public static final int EXPLORATION_MAX_USERS = 3;

  private final Snapshot snapshot;
  private final RecommendShard shard;
  private final RankingModel model;

  /**
   * A recommender over {@code snapshot}'s catalog, behaviour model (if any), vectors (if any) and
   * knowledge, with {@code profiles} for shoppers and {@code model} for scoring.
   */
  public Recommender(Snapshot snapshot, UserProfiles profiles, RankingModel model) {
    this.snapshot = snapshot;
    this.shard = new RecommendShard(snapshot, profiles);
    this.model = model;
  }

  /** This node's store, as a router's shards answer recommendation phases. */
  public RecommendShard shard() {
    return shard;
  }

  /** The ranking model in use. */
  public RankingModel model() {
    return model;
  }

  /** The profiles this recommender reads (and that events are recorded into). */
  public UserProfiles profiles() {
    return shard.profiles();
  }

  /**
   * Items for the request's shopper and context, best first.
   *
   * @throws InvalidRequestException naming the field and value when a context item is unknown
   */
  public RecommendResult recommend(RecommendRequest request) {
    return recommend(snapshot.items(), request);
  }

  /** As {@link #recommend(RecommendRequest)}, over the epoch {@code items} (a view's). */
  public RecommendResult recommend(ItemStore items, RecommendRequest request) {
    RecommendPlan plan = RecommendPlan.recommend(request, 1);
    return plan.merge(answer(items, plan), model);
  }

  /**
   * Items like item {@code id} (alternatives to it): seen together with it, near it in meaning, in
   * the categories the knowledge file names as its substitutes, and popular in its category.
   *
   * @throws InvalidRequestException when the id is unknown or k is out of range
   */
  public RecommendResult similarItems(String id, int k, SearchFilters filter) {
    return similarItems(snapshot.items(), id, k, filter);
  }

  /** As {@link #similarItems(String, int, SearchFilters)}, over the epoch {@code items}. */
  public RecommendResult similarItems(ItemStore items, String id, int k, SearchFilters filter) {
    RecommendPlan plan = RecommendPlan.similar(id, k, filter, 1);
    return plan.merge(answer(items, plan), model);
  }

  /** Runs the plan's three phases on this one store; its answer to the last. */
  private List<FoundItems> answer(ItemStore items, RecommendPlan plan) {
    return plan.runIn(List.of(shard), store -> items);
  }

  /**
   * Every organic candidate the channels find for {@code request} (no exploration share), with its
   * feature vector, before scoring and diversity: what a ranking model is trained on.
   *
   * @param ordinals the candidates' item ordinals
   * @param features each candidate's feature vector, indexed by {@link Feature#ordinal()}
   */
  public record CandidateFeatures(int[] ordinals, float[][] features) {}

  /** The candidates of {@code request} and their features (see {@link CandidateFeatures}). */
  public CandidateFeatures candidates(RecommendRequest request) {
    RecommendPlan plan = RecommendPlan.recommend(request, 1);
    return plan.candidateFeatures(answer(snapshot.items(), plan));
  }
}
