package dev.magpie.engine.recommend;

import dev.magpie.engine.behaviour.BehaviourModel;
import dev.magpie.engine.behaviour.ShardBehaviour;
import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.search.FilterResolver;
import dev.magpie.engine.shard.Shard;
import dev.magpie.engine.snapshot.ItemStore;
import dev.magpie.engine.snapshot.Snapshot;
import dev.magpie.engine.vector.VectorIndex;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import org.eclipse.collections.impl.set.mutable.primitive.IntHashSet;

/**
 * What one store answers in each phase of a recommendation, over its own items: a shopper's events
 * when it is their home ({@link #events}), the facts of the items a request starts from ({@link
 * #facts}), and its candidates with their features ({@link #candidates}). A single node is one such
 * store for the whole catalog; on a cluster each shard is one, and {@link RecommendPlan} puts their
 * answers together. No paid or sponsored input exists anywhere in this path. Thread-safe.
 */
public final class RecommendShard {
  private final int shard;
  private final Snapshot snapshot;
  private final BehaviourModel behaviour;
  private final ShardBehaviour catalogWide;
  private final VectorIndex vectors;
  private final UserProfiles profiles;
  private final FilterResolver filters;
  private final PopularityOrder popularity;
  private final List<CandidateChannel> channels;
  private final Map<String, List<Integer>> occasions;
  private final String refusal;

  /**
   * The recommendation store over {@code snapshot} (a single node's catalog, or one shard of it),
   * with {@code profiles} for the shoppers it is home to.
   *
   * <p>A shard loaded without its part of the catalog-wide behaviour (ranks, cuts: a build older
   * than them) cannot cut its candidates as the catalog's: it refuses every phase ({@link
   * #refusal}).
   */
  public RecommendShard(Snapshot snapshot, UserProfiles profiles) {
    this.snapshot = snapshot;
    Shard of = Shard.of(snapshot.manifest().build());
    this.shard = of == null ? 0 : of.index();
    this.catalogWide = snapshot.shardBehaviour();
    this.refusal =
        of != null && catalogWide == null
            ? "shard "
                + of.index()
                + " of "
                + of.count()
                + " has no "
                + ShardBehaviour.PATH
                + " (built before shards carried the catalog's behaviour): load the shards again"
                + " to recommend through a router"
            : null;
    ItemStore items = snapshot.items();
    this.behaviour = snapshot.behaviour();
    this.vectors = snapshot.vectors();
    this.profiles = profiles;
    this.filters = new FilterResolver(items);
    this.popularity =
        catalogWide == null
            ? PopularityOrder.of(snapshot)
            : PopularityOrder.of(snapshot, catalogWide);
    List<CandidateChannel> c = new ArrayList<>();
    c.add(new BehaviourChannel());
    if (vectors != null) {
      c.add(new VectorChannel(vectors));
    }
    c.add(new KnowledgeChannel(items, snapshot.knowledge(), popularity));
    c.add(new PopularInCategoryChannel(popularity));
    c.add(new PopularChannel(popularity));
    if (behaviour != null) {
      c.add(
          new ExplorationChannel(
              catalogWide == null
                  ? new ExplorationPool(items, behaviour, Recommender.EXPLORATION_MAX_USERS)
                  : new ExplorationPool(items, catalogWide)));
    }
    this.channels = List.copyOf(c);
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

  /** Why this store cannot answer recommendation phases, or null when it can. */
  public String refusal() {
    return refusal;
  }

  private void check() {
    if (refusal != null) {
      throw new IllegalStateException(refusal);
    }
  }

  /** This store's shard number (0 on a single node). */
  public int shard() {
    return shard;
  }

  /** The store's items as of now (its snapshot's current epoch). */
  public ItemStore items() {
    return snapshot.items();
  }

  /** The profiles this store keeps for the shoppers it is home to. */
  public UserProfiles profiles() {
    return profiles;
  }

  /** The latest events of {@code user}, this store being their home. */
  public ShopperEvents events(ItemStore items, String user) {
    check();
    return profiles.events(items, user);
  }

  /**
   * The facts of this store's items {@code ordinals}, then of those with external ids {@code ids}:
   * one per item asked, in that order, null for an id this store does not hold.
   */
  public List<ItemFacts> facts(ItemStore items, int[] ordinals, List<String> ids) {
    check();
    List<ItemFacts> out = new ArrayList<>(ordinals.length + ids.size());
    for (int o : ordinals) {
      out.add(o >= 0 && o < items.size() ? facts(items, o) : null);
    }
    for (String id : ids) {
      int o = items.ordinalOf(id);
      out.add(o < 0 ? null : facts(items, o));
    }
    return out;
  }

  private ItemFacts facts(ItemStore items, int ordinal) {
    if (catalogWide == null) {
      return ItemFacts.of(
          items,
          shard,
          ordinal,
          behaviour == null
              ? ItemFacts.Row.EMPTY
              : ItemFacts.Row.of(behaviour.together(), shard, ordinal),
          behaviour == null
              ? ItemFacts.Row.EMPTY
              : ItemFacts.Row.of(behaviour.complements(), shard, ordinal));
    }
    return ItemFacts.of(
        items,
        shard,
        ordinal,
        ItemFacts.Row.of(catalogWide.together(), ordinal),
        ItemFacts.Row.of(catalogWide.complements(), ordinal));
  }

  /** This store's candidates for {@code query}, each with the features it computes alone. */
  public FoundItems candidates(ItemStore items, CandidateQuery query) {
    check();
    List<String> notes = new ArrayList<>();
    List<Integer> occasion = occasion(query.occasion(), notes);
    IntPredicate passes = filters.resolve(items, query.filters(), notes);
    IntHashSet excluded = IntHashSet.newSetWith(query.excluded());
    IntPredicate allowed = i -> !excluded.contains(i) && passes.test(i);
    ChannelQuery channelQuery = new ChannelQuery(items, query, allowed, occasion);
    LocalCandidates candidates = new LocalCandidates();
    for (CandidateChannel channel : channels) {
      channel.collect(channelQuery, candidates);
    }
    return new FoundItems(
        shard,
        candidates.found(items),
        notes,
        some ->
            LocalCandidates.complete(
                some, items, query, vectors, behaviour, popularity, candidates::knowledge),
        some -> LocalCandidates.describe(some, items));
  }

  /**
   * The categories of the occasion named {@code name}, null for none; an unknown one is noted in
   * {@code notes}.
   */
  private List<Integer> occasion(String name, List<String> notes) {
    if (name == null) {
      return null;
    }
    List<Integer> categories = occasions.get(name.strip().toLowerCase(Locale.ROOT));
    if (categories == null) {
      notes.add(
          "no occasion '"
              + name
              + "' in the knowledge file; known: "
              + String.join(", ", occasions.keySet().stream().sorted().toList()));
    }
    return categories;
  }
}
