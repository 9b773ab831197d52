package dev.magpie.engine.recommend;

import dev.magpie.engine.knowledge.Knowledge;
import dev.magpie.engine.snapshot.ItemStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Channel#KNOWLEDGE}: the popular items of the categories the knowledge file relates to the
 * request's starting categories (complements for a cart, substitutes for similar items), and of the
 * request's occasion, each with the relation as its reason.
 */
final class KnowledgeChannel implements CandidateChannel {
  /** A category related to another, with the relation's weight and type. */
  private record Related(int category, float weight, String type) {}

  private final PopularityOrder popularity;
  private final Map<Integer, List<Related>> relations = new HashMap<>();

  KnowledgeChannel(ItemStore items, Knowledge knowledge, PopularityOrder popularity) {
    this.popularity = popularity;
    for (Knowledge.Relation r : knowledge.relations()) {
      int from = items.categoryOrdinalOf(r.from());
      int to = items.categoryOrdinalOf(r.to());
      if (from >= 0 && to >= 0) {
        relations
            .computeIfAbsent(from, f -> new ArrayList<>())
            .add(new Related(to, (float) r.weight(), r.type()));
      }
    }
  }

  @Override
  public void collect(ChannelQuery query, LocalCandidates candidates) {
    ItemStore items = query.items();
    CandidateQuery q = query.query();
    for (int[] start : q.likedCategories()) {
      float strength = start[1] / 1000f;
      for (Related r : relations.getOrDefault(start[0], List.of())) {
        boolean wanted =
            query.similar() ? r.type().equals("substitute") : r.type().equals("complement");
        if (!wanted) {
          continue;
        }
        String anchor = null;
        for (int c = 0; c < q.contextCategories().length; c++) {
          if (q.contextCategories()[c] == start[0]) {
            anchor = q.contextTitles().get(c);
            break;
          }
        }
        String why = Reasons.related(query.similar(), items.categoryName(start[0]), anchor);
        add(r.category(), strength * r.weight(), why, query, candidates);
      }
    }
    if (query.occasion() != null) {
      for (int category : query.occasion()) {
        add(category, 1f, Reasons.occasion(q.occasion()), query, candidates);
      }
    }
  }

  private void add(
      int category, float weight, String why, ChannelQuery query, LocalCandidates candidates) {
    for (int item : popularity.topOfCategory(category)) {
      if (query.allowed().test(item)) {
        candidates.addKnowledge(item, weight, why);
      }
    }
  }
}
