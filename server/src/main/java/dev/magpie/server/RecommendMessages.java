package dev.magpie.server;

import com.google.common.primitives.Floats;
import com.google.common.primitives.Ints;
import com.google.common.primitives.Longs;
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
    return RelationRow.newBuilder()
        .addAllRefs(Longs.asList(row.refs()))
        .addAllWeights(Floats.asList(row.weights()))
        .build();
  }

  private static ItemFacts.Row row(RelationRow row) {
    return new ItemFacts.Row(
        Longs.toArray(row.getRefsList()), Floats.toArray(row.getWeightsList()));
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
      e.addAllCategories(Ints.asList(f.categories()));
      if (f.vector() != null) {
        e.addAllVector(Floats.asList(f.vector()));
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
      int[] categories = Ints.toArray(e.getCategoriesList());
      float[] vector = e.getVectorCount() == 0 ? null : Floats.toArray(e.getVectorList());
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
    out.addAllExcluded(Ints.asList(q.excluded())).addAllTargets(Ints.asList(q.targets()));
    if (q.queryVector() != null) {
      out.addAllQueryVector(Floats.asList(q.queryVector()));
    }
    for (int[] liked : q.likedCategories()) {
      out.addLikedCategories(
          LikedCategory.newBuilder().setCategory(liked[0]).setStrength(liked[1]));
    }
    if (q.occasion() != null) {
      out.setOccasion(q.occasion());
    }
    out.addAllContextCategories(Ints.asList(q.contextCategories()));
    q.categoryAffinity().forEachKeyValue(out::putCategoryAffinity);
    q.brandAffinity().forEachKeyValue(out::putBrandAffinity);
    return out.build();
  }

  static CandidateQuery query(RecommendCandidatesRequest r) {
    float[] vector = r.getQueryVectorCount() == 0 ? null : Floats.toArray(r.getQueryVectorList());
    List<int[]> liked = new ArrayList<>();
    for (LikedCategory l : r.getLikedCategoriesList()) {
      liked.add(new int[] {l.getCategory(), l.getStrength()});
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
        Ints.toArray(r.getExcludedList()),
        Ints.toArray(r.getTargetsList()),
        vector,
        liked,
        r.hasOccasion() ? r.getOccasion() : null,
        Ints.toArray(r.getContextCategoriesList()),
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
      c.addAllFeatures(Floats.asList(f.features()));
      if (f.knowledgeReason() != null) {
        c.setKnowledgeReason(f.knowledgeReason());
      }
      if (!Float.isNaN(f.vectorScore())) {
        c.setVectorScore(f.vectorScore());
      }
      c.addAllExplorationAttempts(Ints.asList(f.explorationAttempts()));
      out.addItems(c);
    }
    return out.build();
  }

  static FoundItems candidates(int shard, RecommendCandidatesResponse r) {
    List<FoundItem> items = new ArrayList<>(r.getItemsCount());
    for (FoundCandidate c : r.getItemsList()) {
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
              Floats.toArray(c.getFeaturesList()),
              c.hasKnowledgeReason() ? c.getKnowledgeReason() : null,
              channels,
              c.getTarget(),
              c.hasVectorScore() ? c.getVectorScore() : Float.NaN,
              c.getPopularRank(),
              Ints.toArray(c.getExplorationAttemptsList())));
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
