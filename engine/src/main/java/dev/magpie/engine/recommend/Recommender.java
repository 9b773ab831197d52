package dev.magpie.engine.recommend;

import dev.magpie.engine.InvalidRequestException;
import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.behaviour.ItemRelations;
import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.search.FilterResolver;
import dev.magpie.engine.search.SearchFilters;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.vector.VectorIndex;
import dev.magpie.engine.vector.VectorResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * Recommends items for a shopper, a cart or an item, over one snapshot. Candidates come from
 * several channels ({@link Channel}): the behaviour model's together and complement relations from
 * the context items and the shopper's recent items, the nearest items to their vectors, categories
 * the knowledge file relates to theirs (complements for a cart, substitutes for similar items, an
 * occasion's categories), popular items in the shopper's categories, and a small exploration share
 * of items with little history. Every candidate gets the same {@link Feature} vector, is scored by
 * a {@link RankingModel}, and the list is diversified ({@link Diversity}). Each item carries its
 * score parts and quotable reasons. No paid or sponsored input exists anywhere in this path.
 * Thread-safe.
 */
public final class Recommender {
  /** Candidates taken from the vector channel. */
  static final int VECTOR_CANDIDATES = 50;

  /** Popular items taken per related or liked category. */
  static final int PER_CATEGORY = 20;

  /** An item with fewer distinct shoppers than this is "little history", fit for exploration. */
  static final int EXPLORATION_MAX_USERS = 3;

  /** Weight of the shopper's recent items beside the request's context items. */
  static final float HISTORY_BESIDE_CONTEXT = 0.5f;

  /** Liked categories the knowledge and popular-in-category channels start from. */
  static final int TOP_CATEGORIES = 3;

  private final ItemStore items;
  private final BehaviourModel behaviour;
  private final VectorIndex vectors;
  private final UserProfiles profiles;
  private final RankingModel model;
  private final FilterResolver filters;
  private final float[] popularityPercentile;
  private final int[] byPopularity;
  private final int[][] popularInCategory;
  private final ExplorationPool exploration;
  private final Map<Integer, List<Related>> relations;
  private final Map<String, List<Integer>> occasions;

  /** A category related to another, with the relation's weight and type. */
  private record Related(int category, float weight, String type) {}

  /**
   * A recommender over {@code snapshot}'s catalog, behaviour model (if any), vectors (if any) and
   * knowledge, with {@code profiles} for shoppers and {@code model} for scoring.
   */
  public Recommender(Snapshot snapshot, UserProfiles profiles, RankingModel model) {
    this.items = snapshot.items();
    this.behaviour = snapshot.behaviour();
    this.vectors = snapshot.vectors();
    this.profiles = profiles;
    this.model = model;
    this.filters = new FilterResolver(items);
    int n = items.snapshotSize();
    float[] popularity = new float[n];
    for (int i = 0; i < n; i++) {
      popularity[i] = behaviour == null ? 0f : behaviour.stats().popularity(i);
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) ->
            popularity[a] != popularity[b]
                ? Float.compare(popularity[b], popularity[a])
                : items.rating(a) != items.rating(b)
                    ? Float.compare(items.rating(b), items.rating(a))
                    : Integer.compare(a, b));
    byPopularity = new int[n];
    popularityPercentile = new float[n];
    for (int r = 0; r < n; r++) {
      byPopularity[r] = order[r];
      popularityPercentile[order[r]] = popularity[order[r]] == 0 ? 0f : 1f - (float) r / n;
    }
    popularInCategory = popularInCategory();
    exploration =
        behaviour == null ? null : new ExplorationPool(items, behaviour, EXPLORATION_MAX_USERS);
    relations = relations(snapshot.knowledge());
    occasions = occasions(snapshot.knowledge());
  }

  /** For each category, its (and its subtree's) most popular items, best first. */
  private int[][] popularInCategory() {
    int categories = items.categoryCount();
    int[][] top = new int[categories][];
    int[] counts = new int[categories];
    for (int c = 0; c < categories; c++) {
      top[c] = new int[PER_CATEGORY];
    }
    for (int item : byPopularity) {
      for (int c = items.categoryOrdinal(item); c >= 0; c = items.categoryParent(c)) {
        if (counts[c] < PER_CATEGORY) {
          top[c][counts[c]++] = item;
        }
      }
    }
    for (int c = 0; c < categories; c++) {
      top[c] = Arrays.copyOf(top[c], counts[c]);
    }
    return top;
  }

  private Map<Integer, List<Related>> relations(Knowledge knowledge) {
    Map<Integer, List<Related>> m = new HashMap<>();
    for (Knowledge.Relation r : knowledge.relations()) {
      int from = items.categoryOrdinalOf(r.from());
      int to = items.categoryOrdinalOf(r.to());
      if (from >= 0 && to >= 0) {
        m.computeIfAbsent(from, f -> new ArrayList<>())
            .add(new Related(to, (float) r.weight(), r.type()));
      }
    }
    return m;
  }

  private Map<String, List<Integer>> occasions(Knowledge knowledge) {
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
   * @throws IllegalArgumentException naming the field and value when a context item is unknown
   */
  public RecommendResult recommend(RecommendRequest request) {
    List<String> notes = new ArrayList<>();
    int[] context = resolve(request.context(), "context");
    UserProfile profile = profiles.profile(request.user());
    return rank(
        false,
        context,
        profile,
        occasion(request, notes),
        request.occasion(),
        request.k(),
        request.filters(),
        request.diversity(),
        request.explorationShare(),
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
   * @throws IllegalArgumentException when the id is unknown or k is out of range
   */
  public RecommendResult similarItems(String id, int k, SearchFilters filter) {
    RecommendRequest.checkK(k);
    int[] context = resolve(List.of(id), "item");
    UserProfile none = profiles.profile(null);
    return rank(
        true,
        context,
        none,
        null,
        null,
        k,
        filter == null ? SearchFilters.NONE : filter,
        Diversity.DEFAULT,
        0f,
        new ArrayList<>());
  }

  private int[] resolve(List<String> ids, String field) {
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
    List<String> notes = new ArrayList<>();
    int[] context = resolve(request.context(), "context");
    UserProfile profile = profiles.profile(request.user());
    Candidates candidates =
        gather(
            false,
            context,
            profile,
            occasion(request, notes),
            request.occasion(),
            request.k(),
            request.filters(),
            0f,
            notes);
    int[] ordinals = new int[candidates.size()];
    float[][] features = new float[candidates.size()][];
    for (int s = 0; s < ordinals.length; s++) {
      ordinals[s] = candidates.ordinal(s);
      features[s] = candidates.features(s).clone();
    }
    return new CandidateFeatures(ordinals, features);
  }

  private RecommendResult rank(
      boolean similar,
      int[] context,
      UserProfile profile,
      List<Integer> occasion,
      String occasionName,
      int k,
      SearchFilters filter,
      Diversity diversity,
      float explorationShare,
      List<String> notes) {
    Candidates candidates =
        gather(
            similar, context, profile, occasion, occasionName, k, filter, explorationShare, notes);
    int exploring = Math.round(k * explorationShare);
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
      out.add(explain(candidates, s, scores[s], i >= chosen.size(), similar));
    }
    return new RecommendResult(out, model.name(), notes);
  }

  /** Runs every channel for the request and computes the candidates' features. */
  private Candidates gather(
      boolean similar,
      int[] context,
      UserProfile profile,
      List<Integer> occasion,
      String occasionName,
      int k,
      SearchFilters filter,
      float explorationShare,
      List<String> notes) {
    IntPredicate passes = filters.resolve(filter, notes);
    IntHashSet excluded = new IntHashSet();
    for (int c : context) {
      excluded.add(c);
    }
    excluded.addAll(profile.seen());
    IntPredicate allowed = i -> !excluded.contains(i) && passes.test(i);
    Candidates candidates = new Candidates(items);

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

    if (behaviour != null) {
      for (int a = 0; a < anchors.length; a++) {
        spread(
            behaviour.together(),
            anchors[a],
            anchorWeights[a],
            Feature.TOGETHER,
            Channel.TOGETHER,
            a < context.length,
            allowed,
            candidates);
        if (!similar) {
          spread(
              behaviour.complements(),
              anchors[a],
              anchorWeights[a],
              Feature.COMPLEMENT,
              Channel.COMPLEMENT,
              a < context.length,
              allowed,
              candidates);
        }
      }
    }

    float[] query = queryVector(context, profile);
    if (query != null) {
      VectorResult near =
          vectors.searchFiltered(query, VECTOR_CANDIDATES, VectorIndex.DEFAULT_EF, allowed);
      for (int i = 0; i < near.size(); i++) {
        candidates.addFound(near.ordinals()[i], Channel.VECTOR);
      }
    }

    List<int[]> likedCategories = likedCategories(context, profile);
    knowledge(similar, context, likedCategories, occasion, occasionName, allowed, candidates);
    for (int[] liked : likedCategories) {
      for (int item : popularInCategory[liked[0]]) {
        if (allowed.test(item)) {
          candidates.addFound(item, Channel.POPULAR_IN_CATEGORY);
        }
      }
    }
    if (candidates.size() < 3 * k) {
      for (int i = 0, taken = 0; i < byPopularity.length && taken < 3 * k; i++) {
        if (allowed.test(byPopularity[i])) {
          candidates.addFound(byPopularity[i], Channel.POPULAR);
          taken++;
        }
      }
    }
    int exploring = Math.round(k * explorationShare);
    if (exploring > 0) {
      explore(profile.user(), likedCategories, allowed, exploring, candidates);
    }

    candidates.finish(profile, query, vectors, behaviour, popularityPercentile);
    return candidates;
  }

  /** Passes {@code weight} times each edge weight of {@code from}'s row to its neighbours. */
  private static void spread(
      ItemRelations relations,
      int from,
      float weight,
      Feature feature,
      Channel channel,
      boolean fromContext,
      IntPredicate allowed,
      Candidates candidates) {
    for (int e = relations.start(from), end = relations.end(from); e < end; e++) {
      int b = relations.neighbour(e);
      if (allowed.test(b)) {
        candidates.addEvidence(
            b, channel, feature, weight * relations.weight(e), from, fromContext);
      }
    }
  }

  /** The context items' mean vector, blended with the profile's; null when neither has one. */
  private float[] queryVector(int[] context, UserProfile profile) {
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
  private List<int[]> likedCategories(int[] context, UserProfile profile) {
    List<int[]> out = new ArrayList<>();
    IntHashSet seen = new IntHashSet();
    for (int c : context) {
      int category = items.categoryOrdinal(c);
      if (category >= 0 && seen.add(category)) {
        out.add(new int[] {category, 1000});
      }
    }
    float scale = context.length == 0 ? 1f : HISTORY_BESIDE_CONTEXT;
    int[] liked = profile.categoryAffinity().keySet().toArray();
    Integer[] order = Arrays.stream(liked).boxed().toArray(Integer[]::new);
    Arrays.sort(
        order,
        (a, b) -> {
          int byAffinity =
              Float.compare(profile.categoryAffinity().get(b), profile.categoryAffinity().get(a));
          return byAffinity != 0 ? byAffinity : Integer.compare(a, b);
        });
    int taken = 0;
    for (int i = 0; i < order.length && taken < TOP_CATEGORIES; i++) {
      int category = order[i];
      if (items.categoryParent(category) < 0 && order.length > 1) {
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

  private void knowledge(
      boolean similar,
      int[] context,
      List<int[]> liked,
      List<Integer> occasion,
      String occasionName,
      IntPredicate allowed,
      Candidates candidates) {
    for (int[] start : liked) {
      float strength = start[1] / 1000f;
      for (Related r : relations.getOrDefault(start[0], List.of())) {
        boolean wanted = similar ? r.type().equals("substitute") : r.type().equals("complement");
        if (!wanted) {
          continue;
        }
        String anchor = null;
        for (int c : context) {
          if (items.categoryOrdinal(c) == start[0]) {
            anchor = items.title(c);
            break;
          }
        }
        String why =
            (similar ? "an alternative in " : "goes with ")
                + leaf(items.categoryName(start[0]))
                + (anchor != null ? " ('" + shorten(anchor) + "')" : " (which you shop)");
        addCategory(r.category(), strength * r.weight(), why, allowed, candidates);
      }
    }
    if (occasion != null) {
      for (int category : occasion) {
        addCategory(category, 1f, "for " + occasionName, allowed, candidates);
      }
    }
  }

  private void addCategory(
      int category, float weight, String why, IntPredicate allowed, Candidates candidates) {
    for (int item : popularInCategory[category]) {
      if (allowed.test(item)) {
        candidates.addKnowledge(item, weight, why);
      }
    }
  }

  /**
   * Adds up to 3 * {@code count} items with little history from the liked categories (or any),
   * chosen by a hash of shopper and item so that a shopper sees a stable pick and shoppers differ.
   */
  private void explore(
      String user, List<int[]> liked, IntPredicate allowed, int count, Candidates candidates) {
    if (exploration == null) {
      return;
    }
    IntHashSet categories = new IntHashSet();
    for (int[] l : liked) {
      categories.add(l[0]);
    }
    for (int item :
        exploration.pick(categories, allowed, 3 * count, user == null ? 0 : user.hashCode())) {
      candidates.addExploration(item);
    }
  }

  private RecommendedItem explain(
      Candidates candidates, int slot, float score, boolean exploration, boolean similar) {
    int item = candidates.ordinal(slot);
    float[] f = candidates.features(slot);
    Map<Feature, Float> parts = model.parts(f);
    List<Feature> strongest = new ArrayList<>(parts.keySet());
    strongest.sort((a, b) -> Float.compare(parts.get(b), parts.get(a)));
    List<String> reasons = new ArrayList<>();
    for (Feature feature : strongest) {
      if (parts.get(feature) <= 0 || reasons.size() == 3) {
        break;
      }
      String reason = reason(feature, candidates, slot, item, similar);
      if (reason != null) {
        reasons.add(reason);
      }
    }
    if (exploration) {
      reasons.add(
          0,
          "new here: fewer than "
              + EXPLORATION_MAX_USERS
              + " shoppers have seen it, shown to learn whether"
              + " it fits");
    }
    if (reasons.isEmpty()) {
      reasons.add("popular in the catalog");
    }
    return new RecommendedItem(
        item,
        items.externalId(item),
        score,
        parts,
        reasons,
        EnumSet.copyOf(candidates.channels(slot)),
        exploration,
        items.sponsored(item));
  }

  private String reason(
      Feature feature, Candidates candidates, int slot, int item, boolean similar) {
    int anchor = candidates.anchor(slot, feature);
    String anchorTitle = anchor < 0 ? null : "'" + shorten(items.title(anchor)) + "'";
    boolean inContext = candidates.anchorInContext(slot, feature);
    return switch (feature) {
      case TOGETHER ->
          anchorTitle == null
              ? null
              : (similar
                      ? "often viewed instead of or with "
                      : "often viewed or bought together with ")
                  + anchorTitle;
      case COMPLEMENT ->
          anchorTitle == null
              ? null
              : (inContext
                  ? "complements " + anchorTitle + " in the cart"
                  : "shoppers buy it after " + anchorTitle);
      case KNOWLEDGE -> candidates.knowledgeReason(slot);
      case VECTOR ->
          similar
              ? "close in description to the item"
              : "close in description to what you looked at";
      case CATEGORY_AFFINITY -> "in " + leaf(items.categoryPath(item)) + ", a category you shop";
      case BRAND_AFFINITY -> "from " + items.brand(item) + ", a brand you choose";
      case PRICE_FIT -> "priced like what you usually buy";
      case RATING -> String.format(Locale.ROOT, "rated %.1f of 5", items.rating(item));
      case CONVERSION ->
          behaviour == null || behaviour.stats().buys(item) == 0
              ? null
              : "bought by " + behaviour.stats().buys(item) + " of the shoppers who viewed it";
      case FRESHNESS ->
          behaviour == null
              ? null
              : String.format(
                  Locale.ROOT,
                  "new: first seen %.0f days ago",
                  Math.max(0, behaviour.stats().ageDays(item)));
      default -> null;
    };
  }

  private static String leaf(String categoryPath) {
    int cut = categoryPath.lastIndexOf(Item.CATEGORY_SEPARATOR);
    return cut < 0 ? categoryPath : categoryPath.substring(cut + Item.CATEGORY_SEPARATOR.length());
  }

  private static String shorten(String title) {
    return title.length() <= 60 ? title : title.substring(0, 57) + "...";
  }
}
