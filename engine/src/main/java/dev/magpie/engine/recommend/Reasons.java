package dev.magpie.engine.recommend;

import dev.magpie.engine.catalog.Item;
import dev.magpie.engine.rank.Feature;
import dev.magpie.engine.rank.RankingModel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Every sentence a recommendation quotes, in one place: the reasons behind an item's strongest
 * score parts ({@link #explain}), and the wording channels give their evidence ({@link #related},
 * {@link #occasion}). Reasons name only what the score used; nothing here changes a score.
 */
final class Reasons {
  /** Reasons quoted per item at most, besides the exploration notice. */
  static final int PER_ITEM = 3;

  private final RankingModel model;
  private final LongFunction<String> titles;

  /**
   * Reasons for the parts of {@code model}'s scores, quoting anchor items by the titles {@code
   * titles} gives for their refs.
   */
  Reasons(RankingModel model, LongFunction<String> titles) {
    this.model = model;
    this.titles = titles;
  }

  /** Candidate {@code slot}, scored {@code score}, as a recommended item with its reasons. */
  RecommendedItem explain(
      Candidates candidates, int slot, float score, boolean exploration, boolean similar) {
    FoundItem item = candidates.found(slot);
    float[] f = candidates.features(slot);
    Map<Feature, Float> parts = model.parts(f);
    List<Feature> strongest = new ArrayList<>(parts.keySet());
    strongest.sort((a, b) -> Float.compare(parts.get(b), parts.get(a)));
    List<String> reasons = new ArrayList<>();
    for (Feature feature : strongest) {
      if (parts.get(feature) <= 0 || reasons.size() == PER_ITEM) {
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
              + Recommender.EXPLORATION_MAX_USERS
              + " shoppers have seen it, shown to learn whether"
              + " it fits");
    }
    if (reasons.isEmpty()) {
      reasons.add("popular in the catalog");
    }
    return new RecommendedItem(
        item.ordinal(),
        item.id(),
        score,
        parts,
        reasons,
        EnumSet.copyOf(candidates.channels(slot)),
        exploration,
        item.sponsored());
  }

  private String reason(
      Feature feature, Candidates candidates, int slot, FoundItem item, boolean similar) {
    long anchor = candidates.anchor(slot, feature);
    String anchorTitle = anchor < 0 ? null : "'" + shorten(titles.apply(anchor)) + "'";
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
      case KNOWLEDGE -> item.knowledgeReason();
      case VECTOR ->
          similar
              ? "close in description to the item"
              : "close in description to what you looked at";
      case CATEGORY_AFFINITY -> "in " + leaf(item.categoryPath()) + ", a category you shop";
      case BRAND_AFFINITY -> "from " + item.brand() + ", a brand you choose";
      case PRICE_FIT -> "priced like what you usually buy";
      case RATING -> String.format(Locale.ROOT, "rated %.1f of 5", item.rating());
      case CONVERSION ->
          item.buys() <= 0 ? null : "bought by " + item.buys() + " of the shoppers who viewed it";
      case FRESHNESS ->
          Float.isNaN(item.ageDays())
              ? null
              : String.format(
                  Locale.ROOT, "new: first seen %.0f days ago", Math.max(0, item.ageDays()));
      default -> null;
    };
  }

  /**
   * Why an item of a related category is proposed: "goes with Phones ('Fleet 12 Pro')" or "an
   * alternative in Phones (which you shop)".
   *
   * @param anchorTitle the title of the context item in the starting category, or null
   */
  static String related(boolean similar, String categoryPath, String anchorTitle) {
    return (similar ? "an alternative in " : "goes with ")
        + leaf(categoryPath)
        + (anchorTitle != null ? " ('" + shorten(anchorTitle) + "')" : " (which you shop)");
  }

  /** Why an item of the request's occasion is proposed: "for back to school". */
  static String occasion(String occasionName) {
    return "for " + occasionName;
  }

  private static String leaf(String categoryPath) {
    int cut = categoryPath.lastIndexOf(Item.CATEGORY_SEPARATOR);
    return cut < 0 ? categoryPath : categoryPath.substring(cut + Item.CATEGORY_SEPARATOR.length());
  }

  private static String shorten(String title) {
    return title.length() <= 60 ? title : title.substring(0, 57) + "...";
  }
}
