package dev.magpie.engine.recommend;

import dev.magpie.engine.InvalidRequestException;
import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.rank.RankingModel;
import dev.magpie.engine.search.SearchFilters;
import dev.magpie.engine.shard.ItemRef;
import dev.magpie.engine.shard.ShardFunction;
import dev.magpie.engine.snapshot.ItemStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;

/**
 * One recommendation over a catalog of one or more shards ({@link RecommendShard}), planned where
 * the request arrives (the router, or a single node) and answered in three phases:
 *
 * <ol>
 *   <li>the shopper's latest events from their home shard ({@link #user()}, {@link #events});
 *   <li>the facts of the context items and the shopper's items from the shards that hold them
 *       ({@link #factsAsks()}, {@link #facts}): the planner builds the shopper's profile, the query
 *       vector and the categories to start from, and spreads behaviour from the anchors over their
 *       relation rows;
 *   <li>every shard's candidates ({@link #query}, then {@link #merge}): the planner cuts each
 *       channel over all shards as one store would (the nearest 50, the most popular, the
 *       exploration attempts in order), completes the features, scores with the ranking model,
 *       diversifies and explains.
 * </ol>
 *
 * With one shard the result is the single node's; with several it is the same but for the vector
 * channel, whose per-shard graphs may find other near neighbours. Not thread-safe: one per request.
 */
public final class RecommendPlan {
  /**
   * What phase 2 asks one shard.
   *
   * @param ordinals the shard's items named by ref
   * @param ids the items named by external id
   */
  public record FactsAsk(int[] ordinals, List<String> ids) {
    /** Copies the list. */
    public FactsAsk {
      ids = List.copyOf(ids);
    }
  }

  /** Weight of the shopper's recent items beside the request's context items. */
  static final float HISTORY_BESIDE_CONTEXT = 0.5f;

  /** Liked categories the knowledge and popular-in-category channels start from. */
  static final int TOP_CATEGORIES = 3;

  private final int shards;
  private final boolean similar;
  private final String user;
  private final List<String> context;
  private final String occasion;
  private final int k;
  private final SearchFilters filters;
  private final Diversity diversity;
  private final int exploring;

  private ShopperEvents events;

  /** What phase 2 asks, by shard; null until first asked. */
  private Map<Integer, FactsAsk> asks;

  private final LongObjectHashMap<ItemFacts> byRef = new LongObjectHashMap<>();
  private final Map<String, ItemFacts> byId = new HashMap<>();

  private ShopperProfile profile;
  private ItemFacts[] contextFacts;
  private Evidence evidence;
  private float[] queryVector;
  private List<int[]> likedCategories;

  /** Each shard's items not to recommend, and those behaviour reached, by ordinal. */
  private final IntObjectHashMap<IntArrayList> excluded = new IntObjectHashMap<>();

  private final IntObjectHashMap<IntArrayList> targets = new IntObjectHashMap<>();
  private int[] contextCategories;
  private List<String> contextTitles;

  private RecommendPlan(
      int shards,
      boolean similar,
      String user,
      List<String> context,
      String occasion,
      int k,
      SearchFilters filters,
      Diversity diversity,
      int exploring) {
    ShardFunction.checkCount(shards);
    this.shards = shards;
    this.similar = similar;
    this.user = user;
    this.context = List.copyOf(context);
    this.occasion = occasion;
    this.k = k;
    this.filters = filters == null ? SearchFilters.NONE : filters;
    this.diversity = diversity;
    this.exploring = exploring;
    this.events = ShopperEvents.none(user);
  }

  /** The plan of {@code request} over {@code shards} shards. */
  public static RecommendPlan recommend(RecommendRequest request, int shards) {
    return new RecommendPlan(
        shards,
        false,
        request.user(),
        request.context(),
        request.occasion(),
        request.k(),
        request.filters(),
        request.diversity(),
        Math.round(request.k() * request.explorationShare()));
  }

  /**
   * The plan of the items like item {@code id} (alternatives to it) over {@code shards} shards.
   *
   * @throws InvalidRequestException when k is out of range
   */
  public static RecommendPlan similar(String id, int k, SearchFilters filter, int shards) {
    RecommendRequest.checkK(k);
    return new RecommendPlan(
        shards, true, null, List.of(id), null, k, filter, Diversity.DEFAULT, 0);
  }

  /**
   * The plan of knowing shopper {@code user} over {@code shards} shards: phases 1 and 2 only, then
   * {@link #shopper()} (what CompareItems fits items to).
   */
  public static RecommendPlan shopper(String user, int shards) {
    return new RecommendPlan(
        shards, false, user, List.of(), null, 1, SearchFilters.NONE, Diversity.NONE, 0);
  }

  /** The shopper whose events phase 1 asks for, or null when there is none to ask. */
  public String user() {
    return user;
  }

  /** The home shard of {@link #user()}. */
  public int homeShard() {
    return ShardFunction.shardOf(user, shards);
  }

  /** Takes phase 1's answer. */
  public void events(ShopperEvents value) {
    this.events = value;
  }

  /** What phase 2 asks each shard: only shards with something to answer are named. */
  public Map<Integer, FactsAsk> factsAsks() {
    if (asks != null) {
      return asks;
    }
    asks = new TreeMap<>();
    Map<Integer, IntArrayList> ordinals = new TreeMap<>();
    Map<Integer, List<String>> ids = new TreeMap<>();
    LongHashSet refs = new LongHashSet();
    LinkedHashSet<String> named = new LinkedHashSet<>(context);
    List<ItemKey> keys = new ArrayList<>(events.items());
    keys.addAll(events.seen());
    for (ItemKey key : keys) {
      if (key.id() != null) {
        named.add(key.id());
      } else if (refs.add(key.ref())) {
        ordinals
            .computeIfAbsent(ItemRef.shard(key.ref()), s -> new IntArrayList())
            .add(ItemRef.ordinal(key.ref()));
      }
    }
    for (String id : named) {
      ids.computeIfAbsent(ShardFunction.shardOf(id, shards), s -> new ArrayList<>()).add(id);
    }
    for (int s = 0; s < shards; s++) {
      IntArrayList o = ordinals.get(s);
      List<String> i = ids.get(s);
      if (o != null || i != null) {
        asks.put(s, new FactsAsk(o == null ? new int[0] : o.toArray(), i == null ? List.of() : i));
      }
    }
    return asks;
  }

  /** Takes phase 2's answer of shard {@code shard}: one per item asked, null for an unknown id. */
  public void facts(int shard, List<ItemFacts> answer) {
    FactsAsk ask = factsAsks().get(shard);
    if (ask == null || answer.size() != ask.ordinals().length + ask.ids().size()) {
      throw new IllegalArgumentException(
          "shard " + shard + " answered " + answer.size() + " facts to " + ask);
    }
    for (int i = 0; i < answer.size(); i++) {
      ItemFacts f = answer.get(i);
      if (f != null) {
        byRef.put(f.ref(), f);
        if (i >= ask.ordinals().length) {
          byId.put(ask.ids().get(i - ask.ordinals().length), f);
        }
      }
    }
  }

  private ItemFacts facts(ItemKey key) {
    return key.id() != null ? byId.get(key.id()) : byRef.get(key.ref());
  }

  /**
   * Resolves what every shard's question shares, once: the context, the profile, the anchors'
   * behaviour, the query vector and the categories to start from.
   *
   * @throws InvalidRequestException when a context item is unknown
   */
  private void resolve() {
    if (profile != null) {
      return;
    }
    contextFacts = new ItemFacts[context.size()];
    for (int i = 0; i < contextFacts.length; i++) {
      contextFacts[i] = byId.get(context.get(i));
      if (contextFacts[i] == null) {
        throw new InvalidRequestException(
            similar ? "item" : "context[" + i + "]",
            "no item '" + context.get(i) + "' in the catalog");
      }
    }
    List<ItemFacts> eventFacts = new ArrayList<>();
    List<EventType> types = new ArrayList<>();
    for (int i = 0; i < events.items().size(); i++) {
      ItemFacts f = facts(events.items().get(i));
      if (f != null) {
        eventFacts.add(f);
        types.add(events.types().get(i));
      }
    }
    LongHashSet seen = new LongHashSet();
    for (ItemKey key : events.seen()) {
      ItemFacts f = facts(key);
      if (f != null) {
        seen.add(f.ref());
      }
    }
    profile = ShopperProfile.of(user, eventFacts, types, seen);
    spread();
    queryVector = queryVector();
    likedCategories = likedCategories();
    for (ItemFacts c : contextFacts) {
      byShard(excluded, c.ref());
    }
    profile.seen().forEach(ref -> byShard(excluded, ref));
    for (int e = 0; e < evidence.size(); e++) {
      byShard(targets, evidence.neighbour(e));
    }
    contextCategories = new int[contextFacts.length];
    contextTitles = new ArrayList<>(contextFacts.length);
    for (int i = 0; i < contextFacts.length; i++) {
      contextCategories[i] = contextFacts[i].category();
      contextTitles.add(contextFacts[i].title());
    }
  }

  /** Adds {@code ref}'s ordinal to its shard's list in {@code byShard}. */
  private static void byShard(IntObjectHashMap<IntArrayList> byShard, long ref) {
    byShard.getIfAbsentPut(ItemRef.shard(ref), IntArrayList::new).add(ItemRef.ordinal(ref));
  }

  private static int[] ofShard(IntObjectHashMap<IntArrayList> byShard, int shard) {
    IntArrayList list = byShard.get(shard);
    return list == null ? new int[0] : list.toArray();
  }

  /** Spreads behaviour from the context items, then the shopper's recent ones. */
  private void spread() {
    evidence = new Evidence();
    float[] recentWeights = profile.recentWeights();
    float maxRecent = 0;
    for (float w : recentWeights) {
      maxRecent = Math.max(maxRecent, w);
    }
    float historyScale = contextFacts.length == 0 ? 1f : HISTORY_BESIDE_CONTEXT;
    int anchors = contextFacts.length + profile.recent().length;
    for (int a = 0; a < anchors; a++) {
      boolean inContext = a < contextFacts.length;
      ItemFacts from =
          inContext ? contextFacts[a] : byRef.get(profile.recent()[a - contextFacts.length]);
      float weight =
          inContext ? 1f : historyScale * recentWeights[a - contextFacts.length] / maxRecent;
      evidence.spread(from.together(), 0, from.ref(), weight, inContext);
      if (!similar) {
        evidence.spread(from.complements(), 1, from.ref(), weight, inContext);
      }
    }
  }

  /** The context items' mean vector, blended with the profile's; null when neither has one. */
  private float[] queryVector() {
    float[] sum = null;
    for (ItemFacts c : contextFacts) {
      if (c.vector() != null) {
        if (sum == null) {
          sum = new float[c.vector().length];
        }
        for (int d = 0; d < sum.length; d++) {
          sum[d] += c.vector()[d];
        }
      }
    }
    float[] unit = sum != null ? Vectors.unit(sum) : null;
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
  private List<int[]> likedCategories() {
    List<int[]> out = new ArrayList<>();
    IntHashSet taken = new IntHashSet();
    for (ItemFacts c : contextFacts) {
      int category = c.category();
      if (category >= 0 && taken.add(category)) {
        out.add(new int[] {category, 1000});
      }
    }
    float scale = contextFacts.length == 0 ? 1f : HISTORY_BESIDE_CONTEXT;
    IntArrayList order = IntArrayList.newListWith(profile.categoryAffinity().keySet().toArray());
    order.sortThis(
        (a, b) -> {
          int byAffinity =
              Float.compare(profile.categoryAffinity().get(b), profile.categoryAffinity().get(a));
          return byAffinity != 0 ? byAffinity : Integer.compare(a, b);
        });
    int picked = 0;
    for (int i = 0; i < order.size() && picked < TOP_CATEGORIES; i++) {
      int category = order.get(i);
      if (profile.categoryParents().getIfAbsent(category, -1) < 0 && order.size() > 1) {
        continue; // a root category says little ("Sports")
      }
      if (taken.add(category)) {
        out.add(
            new int[] {
              category, Math.round(1000 * scale * profile.categoryAffinity().get(category))
            });
        picked++;
      }
    }
    return out;
  }

  /**
   * The shopper's profile, once phases 1 and 2 are in (what CompareItems fits the items to).
   *
   * @throws InvalidRequestException when a context item is unknown
   */
  public ShopperProfile shopper() {
    resolve();
    return profile;
  }

  /**
   * Phase 3's question to shard {@code shard}.
   *
   * @throws InvalidRequestException when a context item is unknown
   */
  public CandidateQuery query(int shard) {
    resolve();
    return new CandidateQuery(
        similar,
        k,
        exploring,
        user == null ? 0 : user.hashCode(),
        filters,
        ofShard(excluded, shard),
        ofShard(targets, shard),
        queryVector,
        likedCategories,
        occasion,
        contextCategories,
        contextTitles,
        profile.categoryAffinity(),
        profile.brandAffinity(),
        profile.typicalPriceMinor());
  }

  /**
   * Runs the three phases on stores in this process ({@code stores}, one per shard in shard order,
   * each read at the epoch {@code epoch} gives): their answers to the last, for {@link #merge}.
   */
  public List<FoundItems> runIn(
      List<RecommendShard> stores, Function<RecommendShard, ItemStore> epoch) {
    if (user != null) {
      RecommendShard home = stores.get(homeShard());
      events(home.events(epoch.apply(home), user));
    }
    for (Map.Entry<Integer, FactsAsk> ask : factsAsks().entrySet()) {
      RecommendShard store = stores.get(ask.getKey());
      facts(
          ask.getKey(),
          store.facts(epoch.apply(store), ask.getValue().ordinals(), ask.getValue().ids()));
    }
    List<FoundItems> answers = new ArrayList<>(stores.size());
    for (RecommendShard store : stores) {
      answers.add(store.candidates(epoch.apply(store), query(store.shard())));
    }
    return answers;
  }

  /** Every shard's candidates kept as one store would keep them, with complete features. */
  private Candidates gather(List<FoundItems> answers, int exploring) {
    resolve();
    // Every found item gets an index; what each channel keeps is marked on it (a bit per channel),
    // in the single store's order; then the kept items are completed (features) and their slots
    // filled in that order.
    int total = 0;
    for (FoundItems answer : answers) {
      total += answer.items().size();
    }
    FoundItem[] items = new FoundItem[total];
    long[] refs = new long[total];
    LongIntHashMap indexOf = new LongIntHashMap(total);
    IntArrayList nearest = new IntArrayList();
    IntArrayList popular = new IntArrayList();
    int n = 0;
    for (FoundItems answer : answers) {
      for (FoundItem f : answer.items()) {
        items[n] = f;
        refs[n] = ItemRef.of(answer.shard(), f.ordinal());
        indexOf.put(refs[n], n);
        if (!Float.isNaN(f.vectorScore())) {
          nearest.add(n);
        }
        if (f.popularRank() >= 0) {
          popular.add(n);
        }
        n++;
      }
    }
    int[] mask = new int[total];
    int[] evidenceAt = new int[total];
    IntArrayList kept = new IntArrayList();
    for (int e = 0; e < evidence.size(); e++) {
      int i = indexOf.getIfAbsent(evidence.neighbour(e), -1);
      if (i < 0 || !items[i].target()) {
        continue;
      }
      evidenceAt[i] = e;
      for (int relation = 0; relation < 2; relation++) {
        if (evidence.part(e, relation) != null) {
          keep(kept, mask, i, relation == 0 ? Channel.TOGETHER : Channel.COMPLEMENT);
        }
      }
    }
    nearest.sortThis(
        (a, b) -> {
          int byScore = Float.compare(items[b].vectorScore(), items[a].vectorScore());
          return byScore != 0 ? byScore : Long.compare(items[a].position(), items[b].position());
        });
    for (int j = 0; j < Math.min(nearest.size(), VectorChannel.CANDIDATES); j++) {
      keep(kept, mask, nearest.get(j), Channel.VECTOR);
    }
    for (Channel channel : List.of(Channel.KNOWLEDGE, Channel.POPULAR_IN_CATEGORY)) {
      for (int i = 0; i < total; i++) {
        if (items[i].channels().contains(channel)) {
          keep(kept, mask, i, channel);
        }
      }
    }
    int wanted = 3 * k;
    if (kept.size() < wanted) {
      popular.sortThis((a, b) -> Long.compare(items[a].popularRank(), items[b].popularRank()));
      for (int j = 0; j < Math.min(popular.size(), wanted); j++) {
        keep(kept, mask, popular.get(j), Channel.POPULAR);
      }
    }
    if (exploring > 0) {
      TreeMap<Integer, Integer> attempts = new TreeMap<>();
      for (int i = 0; i < total; i++) {
        for (int attempt : items[i].explorationAttempts()) {
          attempts.put(attempt, i);
        }
      }
      IntHashSet chosen = new IntHashSet();
      int picks = ExplorationChannel.picks(exploring);
      for (int i : attempts.values()) {
        if (chosen.size() == picks) {
          break;
        }
        chosen.add(i);
      }
      IntArrayList byPosition = IntArrayList.newList(chosen);
      byPosition.sortThis((a, b) -> Long.compare(items[a].position(), items[b].position()));
      byPosition.forEach(i -> keep(kept, mask, i, Channel.EXPLORATION));
    }
    FoundItem[] complete = complete(kept, items, refs, answers);
    Candidates candidates = new Candidates();
    for (int j = 0; j < kept.size(); j++) {
      int i = kept.get(j);
      int slot = candidates.append(refs[i], complete[j]);
      for (Channel channel : Channel.values()) {
        if ((mask[i] & 1 << channel.ordinal()) == 0) {
          continue;
        }
        switch (channel) {
          case TOGETHER ->
              candidates.evidence(slot, Feature.TOGETHER, evidence.part(evidenceAt[i], 0));
          case COMPLEMENT ->
              candidates.evidence(slot, Feature.COMPLEMENT, evidence.part(evidenceAt[i], 1));
          case EXPLORATION -> candidates.exploration(slot);
          default -> candidates.channel(slot, channel);
        }
      }
    }
    candidates.finish();
    return candidates;
  }

  /** Marks found item {@code i} as kept by {@code channel}, kept in order the first time. */
  private static void keep(IntArrayList kept, int[] mask, int i, Channel channel) {
    if (mask[i] == 0) {
      kept.add(i);
    }
    mask[i] |= 1 << channel.ordinal();
  }

  /** The kept items, completed by the shards that found them, in kept order. */
  private static FoundItem[] complete(
      IntArrayList kept, FoundItem[] items, long[] refs, List<FoundItems> answers) {
    FoundItem[] out = new FoundItem[kept.size()];
    for (FoundItems answer : answers) {
      IntArrayList at = new IntArrayList();
      List<FoundItem> partial = new ArrayList<>();
      for (int j = 0; j < kept.size(); j++) {
        int i = kept.get(j);
        if (ItemRef.shard(refs[i]) == answer.shard()) {
          at.add(j);
          partial.add(items[i]);
        }
      }
      if (partial.isEmpty()) {
        continue;
      }
      List<FoundItem> done = answer.complete(partial);
      for (int j = 0; j < done.size(); j++) {
        out[at.get(j)] = done.get(j);
      }
    }
    return out;
  }

  /**
   * Gives the slots {@code picks} the text their reasons quote, from the shards that found them.
   */
  private static void describe(
      Candidates candidates, List<Integer> picks, List<FoundItems> answers) {
    Map<Integer, List<Integer>> byShard = new TreeMap<>();
    for (int slot : picks) {
      byShard
          .computeIfAbsent(ItemRef.shard(candidates.ref(slot)), s -> new ArrayList<>())
          .add(slot);
    }
    for (FoundItems answer : answers) {
      List<Integer> slots = byShard.get(answer.shard());
      if (slots == null) {
        continue;
      }
      List<FoundItem> complete = new ArrayList<>(slots.size());
      for (int slot : slots) {
        complete.add(candidates.found(slot));
      }
      List<FoundItem> described = answer.describe(complete);
      for (int i = 0; i < slots.size(); i++) {
        candidates.describe(slots.get(i), described.get(i));
      }
    }
  }

  /** The notes of every shard, each once, in the order first given. */
  private static List<String> notes(List<FoundItems> answers) {
    LinkedHashSet<String> notes = new LinkedHashSet<>();
    for (FoundItems a : answers) {
      notes.addAll(a.notes());
    }
    return new ArrayList<>(notes);
  }

  /**
   * The recommendation from every shard's answer to {@link #query}: the best {@code k} by {@code
   * model}, the exploration share among them, diversified and explained.
   */
  public RecommendResult merge(List<FoundItems> answers, RankingModel model) {
    Candidates candidates = gather(answers, exploring);
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
    describe(candidates, picks, answers);
    Reasons reasons = new Reasons(model, ref -> byRef.get(ref).title());
    List<RecommendedItem> out = new ArrayList<>(picks.size());
    for (int i = 0; i < picks.size(); i++) {
      int s = picks.get(i);
      out.add(reasons.explain(candidates, s, scores[s], i >= chosen.size(), similar));
    }
    return new RecommendResult(out, model.name(), notes(answers));
  }

  /**
   * Every organic candidate (no exploration share) with its feature vector, before scoring and
   * diversity: what a ranking model is trained on.
   */
  public Recommender.CandidateFeatures candidateFeatures(List<FoundItems> answers) {
    Candidates candidates = gather(answers, 0);
    int[] ordinals = new int[candidates.size()];
    float[][] features = new float[candidates.size()][];
    for (int s = 0; s < ordinals.length; s++) {
      ordinals[s] = ItemRef.ordinal(candidates.ref(s));
      features[s] = candidates.features(s).clone();
    }
    return new Recommender.CandidateFeatures(ordinals, features);
  }
}
