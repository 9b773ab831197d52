package dev.magpie.engine.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a hybrid search found.
 *
 * @param hits the top hits, best first
 * @param searchedText the text both channels searched after understanding removed constraints
 * @param understood constraints taken from the text and applied as filters to both channels,
 *     synonym expansions, and the spelling corrections the vector channel's text was given
 *     ("spelling": "toliet" to "toilet"; the text channel tolerates typos by itself)
 * @param fusion how the channels were merged
 * @param notes warnings for the caller (a filter value the catalog does not know, a channel that
 *     could not run, ...)
 * @param explainer the text channel's matches for any item, by the query this search ran: for
 *     explaining, after reranking, only the hits a caller returns ({@link #explained})
 */
public record HybridResult(
    List<HybridHit> hits,
    String searchedText,
    List<Constraint> understood,
    Fusion fusion,
    List<String> notes,
    TextExplainer explainer) {
  /** Explains no item: for results without a text channel. */
  public static final TextExplainer NO_TEXT =
      ordinals -> Collections.nCopies(ordinals.length, List.of());

  /**
   * The fields and terms of items that the text query matched, largest contribution first; empty
   * when none did. Valid on the thread that searched, for as long as the snapshot is open.
   */
  @FunctionalInterface
  public interface TextExplainer {
    /**
     * The matches of each of {@code ordinals} (none negative), in their order: explained together,
     * each clause's postings are read once for all of them.
     */
    List<List<TermMatch>> matches(int[] ordinals) throws IOException;
  }

  /**
   * The matches of each of {@code ordinals} by {@code explainer}, empty for a negative one (an item
   * not there).
   */
  public static List<List<TermMatch>> explainKnown(TextExplainer explainer, List<Integer> ordinals)
      throws IOException {
    int[] known = ordinals.stream().mapToInt(Integer::intValue).filter(o -> o >= 0).toArray();
    List<List<TermMatch>> found = explainer.matches(known);
    List<List<TermMatch>> out = new ArrayList<>(ordinals.size());
    int next = 0;
    for (int ordinal : ordinals) {
      out.add(ordinal < 0 ? List.of() : found.get(next++));
    }
    return out;
  }

  /** Copies the lists. */
  public HybridResult {
    hits = List.copyOf(hits);
    understood = List.copyOf(understood);
    notes = List.copyOf(notes);
    Objects.requireNonNull(explainer, "explainer");
  }

  /** A result whose items cannot be explained after the search. */
  public HybridResult(
      List<HybridHit> hits,
      String searchedText,
      List<Constraint> understood,
      Fusion fusion,
      List<String> notes) {
    this(hits, searchedText, understood, fusion, notes, NO_TEXT);
  }

  /**
   * {@code hit} with the text matches behind its BM25 score ({@link HybridHit#explainedBy}).
   * Explaining costs a Lucene explanation per hit (a large share of a search that explains 50
   * candidates), so a caller that reranks searches without explanations and explains only the hits
   * it returns.
   */
  public HybridHit explained(HybridHit hit) throws IOException {
    return hit.explainedBy(explainer);
  }

  /** Each of {@code hits} explained as by {@link #explained(HybridHit)}, all in one pass. */
  public List<HybridHit> explained(List<HybridHit> hits) throws IOException {
    return HybridHit.explainedBy(hits, explainer);
  }
}
