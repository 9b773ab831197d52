package dev.magpie.server;

import dev.magpie.api.v1.Filters;
import dev.magpie.api.v1.FoundCandidate;
import dev.magpie.api.v1.Item;
import dev.magpie.api.v1.ItemFactsEntry;
import dev.magpie.api.v1.ItemFactsResponse;
import dev.magpie.api.v1.ItemPointer;
import dev.magpie.api.v1.LikedCategory;
import dev.magpie.api.v1.RecommendCandidatesRequest;
import dev.magpie.api.v1.RecommendCandidatesResponse;
import dev.magpie.api.v1.RecommendResponse;
import dev.magpie.api.v1.Recommendation;
import dev.magpie.api.v1.RelationRow;
import dev.magpie.api.v1.ShopperEventsResponse;
import dev.magpie.engine.behaviour.EventType;
import dev.magpie.engine.recommend.CandidateQuery;
import dev.magpie.engine.recommend.Channel;
import dev.magpie.engine.recommend.FoundItem;
import dev.magpie.engine.recommend.FoundItems;
import dev.magpie.engine.recommend.ItemFacts;
import dev.magpie.engine.recommend.ItemKey;
import dev.magpie.engine.recommend.RecommendResult;
import dev.magpie.engine.recommend.RecommendedItem;
import dev.magpie.engine.recommend.ShopperEvents;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.collections.impl.map.mutable.primitive.IntFloatHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectFloatHashMap;

/**
 * The wire form of a recommendation's phases between a router and its shards ({@code
 * magpie.v1.Shard}'s ShopperEvents, ItemFacts and RecommendCandidates), both ways: each engine
 * value goes over as it is (floats as floats), so that the router plans and merges as one node
 * would.
 */
final class RecommendMessages {
  private RecommendMessages() {}

  static ItemPointer key(ItemKey key) {
    return key.id() == null
        ? ItemPointer.newBuilder().setRef(key.ref()).build()
        : ItemPointer.newBuilder().setId(key.id()).build();
  }

  static ItemKey key(ItemPointer key) {
    return key.hasId() ? ItemKey.ofId(key.getId()) : ItemKey.ofRef(key.getRef());
  }

  static ShopperEventsResponse events(ShopperEvents events) {
    ShopperEventsResponse.Builder out = ShopperEventsResponse.newBuilder();
    for (int i = 0; i < events.items().size(); i++) {
      out.addItems(key(events.items().get(i)));
      out.addTypes(events.types().get(i).name().toLowerCase(Locale.ROOT));
    }
    for (ItemKey k : events.seen()) {
      out.addSeen(key(k));
    }
    return out.build();
  }

  static ShopperEvents events(String user, ShopperEventsResponse r) {
    List<ItemKey> items = new ArrayList<>();
    List<EventType> types = new ArrayList<>();
    for (int i = 0; i < r.getItemsCount(); i++) {
      items.add(key(r.getItems(i)));
      types.add(EventType.parse(r.getTypes(i)));
    }
    List<ItemKey> seen = new ArrayList<>();
    for (ItemPointer k : r.getSeenList()) {
      seen.add(key(k));
    }
    return new ShopperEvents(user, items, types, seen);
  }

  private static RelationRow row(ItemFacts.Row row) {
    RelationRow.Builder out = RelationRow.newBuilder();
    for (int e = 0; e < row.refs().length; e++) {
      out.addRefs(row.refs()[e]).addWeights(row.weights()[e]);
    }
    return out.build();
  }

  private static ItemFacts.Row row(RelationRow row) {
    long[] refs = new long[row.getRefsCount()];
    float[] weights = new float[row.getWeightsCount()];
    for (int e = 0; e < refs.length; e++) {
      refs[e] = row.getRefs(e);
    }
    for (int e = 0; e < weights.length; e++) {
      weights[e] = row.getWeights(e);
    }
    return new ItemFacts.Row(refs, weights);
  }

  static ItemFactsResponse facts(List<ItemFacts> facts) {
    ItemFactsResponse.Builder out = ItemFactsResponse.newBuilder();
    for (ItemFacts f : facts) {
      if (f == null) {
        out.addItems(ItemFactsEntry.newBuilder().setFound(false));
        continue;
      }
      ItemFactsEntry.Builder e =
          ItemFactsEntry.newBuilder()
              .setFound(true)
              .setRef(f.ref())
              .setId(f.id())
              .setPosition(f.position())
              .setTitle(f.title())
              .setBrand(f.brand())
              .setPriceMinor(f.priceMinor())
              .setTogether(row(f.together()))
              .setComplements(row(f.complements()));
      for (int c : f.categories()) {
        e.addCategories(c);
      }
      if (f.vector() != null) {
        for (float v : f.vector()) {
          e.addVector(v);
        }
      }
      out.addItems(e);
    }
    return out.build();
  }

  static List<ItemFacts> facts(ItemFactsResponse r) {
    List<ItemFacts> out = new ArrayList<>(r.getItemsCount());
    for (ItemFactsEntry e : r.getItemsList()) {
      if (!e.getFound()) {
        out.add(null);
        continue;
      }
      int[] categories = new int[e.getCategoriesCount()];
      for (int c = 0; c < categories.length; c++) {
        categories[c] = e.getCategories(c);
      }
      float[] vector = null;
      if (e.getVectorCount() > 0) {
        vector = new float[e.getVectorCount()];
        for (int d = 0; d < vector.length; d++) {
          vector[d] = e.getVector(d);
        }
      }
      out.add(
          new ItemFacts(
              e.getRef(),
              e.getId(),
              e.getPosition(),
              e.getTitle(),
              categories,
              e.getBrand(),
              e.getPriceMinor(),
              vector,
              row(e.getTogether()),
              row(e.getComplements())));
    }
    return out;
  }

  /** The question for one shard, its filters as the caller sent them. */
  static RecommendCandidatesRequest query(CandidateQuery q, Filters filters) {
    RecommendCandidatesRequest.Builder out =
        RecommendCandidatesRequest.newBuilder()
            .setSimilar(q.similar())
            .setK(q.k())
            .setExploring(q.exploring())
            .setSalt(q.salt())
            .setFilters(filters)
            .setTypicalPriceMinor(q.typicalPriceMinor())
            .addAllContextTitles(q.contextTitles());
    for (int o : q.excluded()) {
      out.addExcluded(o);
    }
    for (int o : q.targets()) {
      out.addTargets(o);
    }
    if (q.queryVector() != null) {
      for (float v : q.queryVector()) {
        out.addQueryVector(v);
      }
    }
    for (int[] liked : q.likedCategories()) {
      out.addLikedCategories(
          LikedCategory.newBuilder().setCategory(liked[0]).setStrength(liked[1]));
    }
    if (q.occasion() != null) {
      out.setOccasion(q.occasion());
    }
    for (int c : q.contextCategories()) {
      out.addContextCategories(c);
    }
    q.categoryAffinity().forEachKeyValue(out::putCategoryAffinity);
    q.brandAffinity().forEachKeyValue(out::putBrandAffinity);
    return out.build();
  }

  static CandidateQuery query(RecommendCandidatesRequest r) {
    float[] vector = null;
    if (r.getQueryVectorCount() > 0) {
      vector = new float[r.getQueryVectorCount()];
      for (int d = 0; d < vector.length; d++) {
        vector[d] = r.getQueryVector(d);
      }
    }
    List<int[]> liked = new ArrayList<>();
    for (LikedCategory l : r.getLikedCategoriesList()) {
      liked.add(new int[] {l.getCategory(), l.getStrength()});
    }
    int[] contextCategories = new int[r.getContextCategoriesCount()];
    for (int i = 0; i < contextCategories.length; i++) {
      contextCategories[i] = r.getContextCategories(i);
    }
    IntFloatHashMap categories = new IntFloatHashMap();
    for (Map.Entry<Integer, Float> e : r.getCategoryAffinityMap().entrySet()) {
      categories.put(e.getKey(), e.getValue());
    }
    ObjectFloatHashMap<String> brands = new ObjectFloatHashMap<>();
    for (Map.Entry<String, Float> e : r.getBrandAffinityMap().entrySet()) {
      brands.put(e.getKey(), e.getValue());
    }
    return new CandidateQuery(
        r.getSimilar(),
        r.getK(),
        r.getExploring(),
        r.getSalt(),
        Messages.filters(r.getFilters()),
        r.getExcludedList().stream().mapToInt(Integer::intValue).toArray(),
        r.getTargetsList().stream().mapToInt(Integer::intValue).toArray(),
        vector,
        liked,
        r.hasOccasion() ? r.getOccasion() : null,
        contextCategories,
        r.getContextTitlesList(),
        categories,
        brands,
        r.getTypicalPriceMinor());
  }

  static RecommendCandidatesResponse candidates(FoundItems found) {
    RecommendCandidatesResponse.Builder out =
        RecommendCandidatesResponse.newBuilder().addAllNotes(found.notes());
    for (FoundItem f : found.items()) {
      FoundCandidate.Builder c =
          FoundCandidate.newBuilder()
              .setOrdinal(f.ordinal())
              .setId(f.id())
              .setPosition(f.position())
              .setCategory(f.category())
              .setCategoryPath(f.categoryPath())
              .setBrand(f.brand())
              .setBrandKey(f.brandKey())
              .setRating(f.rating())
              .setBuys(f.buys())
              .setAgeDays(f.ageDays())
              .setSponsored(f.sponsored())
              .setKnowledge(f.channels().contains(Channel.KNOWLEDGE))
              .setPopularInCategory(f.channels().contains(Channel.POPULAR_IN_CATEGORY))
              .setTarget(f.target())
              .setPopularRank(f.popularRank());
      for (float v : f.features()) {
        c.addFeatures(v);
      }
      if (f.knowledgeReason() != null) {
        c.setKnowledgeReason(f.knowledgeReason());
      }
      if (!Float.isNaN(f.vectorScore())) {
        c.setVectorScore(f.vectorScore());
      }
      for (int a : f.explorationAttempts()) {
        c.addExplorationAttempts(a);
      }
      out.addItems(c);
    }
    return out.build();
  }

  static FoundItems candidates(int shard, RecommendCandidatesResponse r) {
    List<FoundItem> items = new ArrayList<>(r.getItemsCount());
    for (FoundCandidate c : r.getItemsList()) {
      float[] features = new float[c.getFeaturesCount()];
      for (int i = 0; i < features.length; i++) {
        features[i] = c.getFeatures(i);
      }
      EnumSet<Channel> channels = EnumSet.noneOf(Channel.class);
      if (c.getKnowledge()) {
        channels.add(Channel.KNOWLEDGE);
      }
      if (c.getPopularInCategory()) {
        channels.add(Channel.POPULAR_IN_CATEGORY);
      }
      items.add(
          new FoundItem(
              c.getOrdinal(),
              c.getId(),
              c.getPosition(),
              c.getCategory(),
              c.getCategoryPath(),
              c.getBrand(),
              c.getBrandKey(),
              c.getRating(),
              c.getBuys(),
              c.getAgeDays(),
              c.getSponsored(),
              features,
              c.hasKnowledgeReason() ? c.getKnowledgeReason() : null,
              channels,
              c.getTarget(),
              c.hasVectorScore() ? c.getVectorScore() : Float.NaN,
              c.getPopularRank(),
              c.getExplorationAttemptsList().stream().mapToInt(Integer::intValue).toArray()));
    }
    return new FoundItems(shard, items, r.getNotesList());
  }

  /**
   * {@code result} as an answer, each recommended item's catalog entry from {@code item} (null:
   * left out, the answer noting how many).
   */
  static RecommendResponse recommendations(
      RecommendResult result, Function<RecommendedItem, Item> item) {
    RecommendResponse.Builder out =
        RecommendResponse.newBuilder().setModel(result.model()).addAllNotes(result.notes());
    int lost = 0;
    for (RecommendedItem recommended : result.items()) {
      Item entry = item.apply(recommended);
      if (entry == null) {
        lost++;
        continue;
      }
      Recommendation.Builder r =
          Recommendation.newBuilder()
              .setItem(entry)
              .setScore(recommended.score())
              .addAllParts(Messages.parts(recommended.parts()))
              .addAllReasons(recommended.reasons())
              .setExploration(recommended.exploration());
      for (Channel c : recommended.channels()) {
        r.addChannels(c.name().toLowerCase(Locale.ROOT));
      }
      out.addItems(r);
    }
    if (lost > 0) {
      out.addNotes(lost + " items left out: their shard did not return them in time");
    }
    return out.build();
  }
}
