package dev.magpie.engine.recommend;

import dev.magpie.engine.InvalidRequestException;
import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.search.FilterResolver;
import dev.magpie.engine.search.SearchFilters;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.vector.VectorIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * Recommends items for a shopper, a cart or an item, over one snapshot. Candidates come from one
 * {@link CandidateChannel} per {@link Channel}, run in a fixed order: behaviour's together and
 * complement relations from the context and the shopper's recent items ({@link BehaviourChannel}),
 * the nearest items to their vectors ({@link VectorChannel}), categories the knowledge file relates
 * to theirs or the occasion names ({@link KnowledgeChannel}), popular items in the starting
 * categories ({@link PopularInCategoryChannel}), the catalog's most popular as a fallback ({@link
 * PopularChannel}), and a small exploration share of items with little history ({@link
 * ExplorationChannel}). Every candidate gets the same {@link Feature} vector, is scored by a {@link
 * RankingModel}, the list is diversified ({@link Diversity}), and each item is explained by {@link
 * Reasons}. No paid or sponsored input exists anywhere in this path. Thread-safe.
 */
public final class Recommender {
  /** An item with fewer distinct shoppers than this is "little history", fit for exploration. */
  static final int EXPLORATION_MAX_USERS = 3;

  /** Weight of the shopper's recent items beside the request's context items. */
  static final float HISTORY_BESIDE_CONTEXT = 0.5f;

  /** Liked categories the knowledge and popular-in-category channels start from. */
  static final int TOP_CATEGORIES = 3;

  private final Snapshot snapshot;
  private final BehaviourModel behaviour;
  private final VectorIndex vectors;
  private final UserProfiles profiles;
  private final RankingModel model;
  private final FilterResolver filters;
  private final PopularityOrder popularity;
  private final List<CandidateChannel> channels;
  private final Reasons reasons;
  private final Map<String, List<Integer>> occasions;

  /**
   * A recommender over {@code snapshot}'s catalog, behaviour model (if any), vectors (if any) and
   * knowledge, with {@code profiles} for shoppers and {@code model} for scoring.
   */
  public Recommender(Snapshot snapshot, UserProfiles profiles, RankingModel model) {
    this.snapshot = snapshot;
    ItemStore items = snapshot.items();
    this.behaviour = snapshot.behaviour();
    this.vectors = snapshot.vectors();
    this.profiles = profiles;
    this.model = model;
    this.filters = new FilterResolver(items);
    this.popularity = new PopularityOrder(snapshot);
    List<CandidateChannel> c = new ArrayList<>();
    if (behaviour != null) {
      c.add(new BehaviourChannel(behaviour));
    }
    if (vectors != null) {
      c.add(new VectorChannel(vectors));
    }
    c.add(new KnowledgeChannel(items, snapshot.knowledge(), popularity));
    c.add(new PopularInCategoryChannel(popularity));
    c.add(new PopularChannel(popularity));
    if (behaviour != null) {
      c.add(new ExplorationChannel(new ExplorationPool(items, behaviour, EXPLORATION_MAX_USERS)));
    }
    this.channels = List.copyOf(c);
    this.reasons = new Reasons(behaviour, model);
    this.occasions = occasions(items, snapshot.knowledge());
  }

  private static Map<String, List<Integer>> occasions(ItemStore items, Knowledge knowledge) {
    Map<String, List<Integer>> m = new HashMap<>();
    for (Knowledge.Occasion o : knowledge.occasions()) {
      List<Integer> categories = new ArrayList<>();
      for (String path : o.categories()) {
        int c = items.categoryOrdinalOf(path);
        if (c >= 0) {
          categories.add(c);
        }
      }
      m.put(o.name().strip().toLowerCase(Locale.ROOT), categories);
    }
    return m;
  }

  /** The ranking model in use. */
  public RankingModel model() {
    return model;
  }

  /** The profiles this recommender reads (and that events are recorded into). */
  public UserProfiles profiles() {
    return profiles;
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
    List<String> notes = new ArrayList<>();
    int exploring = Math.round(request.k() * request.explorationShare());
    return rank(
        gather(items, request, exploring, notes),
        false,
        request.k(),
        request.diversity(),
        exploring,
        notes);
  }

  /** The candidates of {@code request}'s shopper, context and occasion, with their features. */
  private Candidates gather(
      ItemStore items, RecommendRequest request, int exploring, List<String> notes) {
    return gather(
        items,
        false,
        resolve(items, request.context(), "context"),
        profiles.profile(items, request.user()),
        occasion(request, notes),
        request.occasion(),
        request.k(),
        request.filters(),
        exploring,
        notes);
  }

  /**
   * The categories of the request's occasion, null for none; an unknown one is noted in {@code
   * notes}.
   */
  private List<Integer> occasion(RecommendRequest request, List<String> notes) {
    if (request.occasion() == null) {
      return null;
    }
    List<Integer> categories = occasions.get(request.occasion().strip().toLowerCase(Locale.ROOT));
    if (categories == null) {
      notes.add(
          "no occasion '"
              + request.occasion()
              + "' in the knowledge file; known: "
              + String.join(", ", occasions.keySet().stream().sorted().toList()));
    }
    return categories;
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
    RecommendRequest.checkK(k);
    List<String> notes = new ArrayList<>();
    Candidates candidates =
        gather(
            items,
            true,
            resolve(items, List.of(id), "item"),
            profiles.profile(items, null),
            null,
            null,
            k,
            filter == null ? SearchFilters.NONE : filter,
            0,
            notes);
    return rank(candidates, true, k, Diversity.DEFAULT, 0, notes);
  }

  private static int[] resolve(ItemStore items, List<String> ids, String field) {
    int[] out = new int[ids.size()];
    for (int i = 0; i < out.length; i++) {
      String id = ids.get(i);
      out[i] = id == null ? -1 : items.ordinalOf(id);
      if (out[i] < 0) {
        throw new InvalidRequestException(
            field.equals("item") ? field : field + "[" + i + "]",
            "no item '" + id + "' in the catalog");
      }
    }
    return out;
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
    Candidates candidates = gather(snapshot.items(), request, 0, new ArrayList<>());
    int[] ordinals = new int[candidates.size()];
    float[][] features = new float[candidates.size()][];
    for (int s = 0; s < ordinals.length; s++) {
      ordinals[s] = candidates.ordinal(s);
      features[s] = candidates.features(s).clone();
    }
    return new CandidateFeatures(ordinals, features);
  }

  /**
   * The best {@code k} of {@code candidates} by the model, the {@code exploring} best exploration
   * candidates among them, diversified and explained.
   */
  private RecommendResult rank(
      Candidates candidates,
      boolean similar,
      int k,
      Diversity diversity,
      int exploring,
      List<String> notes) {
    float[] scores = new float[candidates.size()];
    for (int s = 0; s < scores.length; s++) {
      scores[s] = model.score(candidates.features(s));
    }
    // The exploration share first (the best-scored exploration candidates), then the organic list
    // around them; when there is too little to explore, organic items take the share.
    List<Integer> explored =
        exploring == 0
            ? List.of()
            : Diversifier.choose(
                candidates,
                scores,
                exploring,
                Diversity.NONE,
                k,
                s -> candidates.features(s)[Feature.EXPLORATION.ordinal()] > 0);
    IntHashSet taken = new IntHashSet();
    explored.forEach(taken::add);
    List<Integer> chosen =
        Diversifier.choose(
            candidates, scores, k - explored.size(), diversity, k, s -> !taken.contains(s));
    List<Integer> picks = new ArrayList<>(chosen);
    picks.addAll(explored);
    List<RecommendedItem> out = new ArrayList<>(picks.size());
    for (int i = 0; i < picks.size(); i++) {
      int s = picks.get(i);
      out.add(reasons.explain(candidates, s, scores[s], i >= chosen.size(), similar));
    }
    return new RecommendResult(out, model.name(), notes);
  }

  /** Resolves what the channels read, runs every channel, and computes the candidates' features. */
  private Candidates gather(
      ItemStore items,
      boolean similar,
      int[] context,
      UserProfile profile,
      List<Integer> occasion,
      String occasionName,
      int k,
      SearchFilters filter,
      int exploring,
      List<String> notes) {
    IntPredicate passes = filters.resolve(items, filter, notes);
    IntHashSet excluded = new IntHashSet();
    for (int c : context) {
      excluded.add(c);
    }
    excluded.addAll(profile.seen());
    IntPredicate allowed = i -> !excluded.contains(i) && passes.test(i);

    // Anchors: the context items first, then the shopper's recent items.
    int[] anchors = new int[context.length + profile.recent().length];
    float[] anchorWeights = new float[anchors.length];
    for (int i = 0; i < context.length; i++) {
      anchors[i] = context[i];
      anchorWeights[i] = 1f;
    }
    float historyScale = context.length == 0 ? 1f : HISTORY_BESIDE_CONTEXT;
    float maxRecent = 0;
    for (float w : profile.recentWeights()) {
      maxRecent = Math.max(maxRecent, w);
    }
    for (int i = 0; i < profile.recent().length; i++) {
      anchors[context.length + i] = profile.recent()[i];
      anchorWeights[context.length + i] = historyScale * profile.recentWeights()[i] / maxRecent;
    }
    float[] query = queryVector(items, context, profile);
    ChannelQuery channelQuery =
        new ChannelQuery(
            items,
            similar,
            context,
            anchors,
            anchorWeights,
            profile,
            query,
            likedCategories(items, context, profile),
            occasion,
            occasionName,
            k,
            allowed,
            exploring);
    Candidates candidates = new Candidates(items);
    for (CandidateChannel channel : channels) {
      channel.collect(channelQuery, candidates);
    }
    candidates.finish(profile, query, vectors, behaviour, popularity.percentiles());
    return candidates;
  }

  /** The context items' mean vector, blended with the profile's; null when neither has one. */
  private float[] queryVector(ItemStore items, int[] context, UserProfile profile) {
    if (vectors == null) {
      return null;
    }
    float[] sum = new float[items.vectorDimension()];
    boolean any = false;
    for (int c : context) {
      if (items.hasVector(c)) {
        float[] v = items.vector(c);
        for (int d = 0; d < sum.length; d++) {
          sum[d] += v[d];
        }
        any = true;
      }
    }
    float[] unit = any ? Vectors.unit(sum) : null;
    if (profile.vector() == null) {
      return unit;
    }
    if (unit == null) {
      return profile.vector().clone();
    }
    for (int d = 0; d < unit.length; d++) {
      unit[d] += HISTORY_BESIDE_CONTEXT * profile.vector()[d];
    }
    return Vectors.unit(unit);
  }

  /**
   * Categories to start from, as {category, strength * 1000}: the context items' (strength 1), then
   * the shopper's top liked ones (their affinity, halved beside a context).
   */
  private static List<int[]> likedCategories(ItemStore items, int[] context, UserProfile profile) {
    List<int[]> out = new ArrayList<>();
    IntHashSet seen = new IntHashSet();
    for (int c : context) {
      int category = items.categoryOrdinal(c);
      if (category >= 0 && seen.add(category)) {
        out.add(new int[] {category, 1000});
      }
    }
    float scale = context.length == 0 ? 1f : HISTORY_BESIDE_CONTEXT;
    IntArrayList order = IntArrayList.newListWith(profile.categoryAffinity().keySet().toArray());
    order.sortThis(
        (a, b) -> {
          int byAffinity =
              Float.compare(profile.categoryAffinity().get(b), profile.categoryAffinity().get(a));
          return byAffinity != 0 ? byAffinity : Integer.compare(a, b);
        });
    int taken = 0;
    for (int i = 0; i < order.size() && taken < TOP_CATEGORIES; i++) {
      int category = order.get(i);
      if (items.categoryParent(category) < 0 && order.size() > 1) {
        continue; // a root category says little ("Sports")
      }
      if (seen.add(category)) {
        out.add(
            new int[] {
              category, Math.round(1000 * scale * profile.categoryAffinity().get(category))
            });
        taken++;
      }
    }
    return out;
  }
}
